using Lscb.CaseFlow.Facts;
using static Lscb.CaseFlow.Kpis.Measure;

namespace Lscb.CaseFlow.Kpis;

/// <summary>
/// One unit behind a figure (kpis.md, Cohorts): an event (its source, id and date) or a child; for a percentage, whether
/// it is in the numerator.
/// </summary>
public sealed record CohortUnit(string ChildId, string? Source, string? EventId, DateOnly? OccurredOn, string? FamilyId, bool? InNumerator);

/// <summary>
/// The units behind a KPI for a window, and optionally one group of a breakdown, counted here in memory: the reference a
/// query in the database must equal. A count of events lists its events; a count of children its children; a
/// percentage the units of its denominator, each marked; a rate per 10,000 the units of its numerator.
/// </summary>
public static class Cohorts
{
    public static IReadOnlyList<CohortUnit> Of(
        Kpi kpi, IReadOnlyList<(Fact Fact, FactUnit Unit)> units, Window window, string? dimension = null, string? group = null)
    {
        var members = dimension is null || group is null
            ? units
            : Breakdowns.Groups(dimension, kpi, units, window).GetValueOrDefault(group) ?? [];
        var (counted, numerator) = kpi switch
        {
            Kpi.Percentage p => (p.Denominator, (Measure?)p.Numerator),
            Kpi.Count c => (c.Of, null),
            Kpi.RatePer10k r => (r.Numerator, null),
            _ => throw new ArgumentOutOfRangeException(nameof(kpi)),
        };

        return counted switch
        {
            EventsIn m => [.. members.Where(u => m.Counts(u.Fact, window)).Select(u =>
                Event(u, numerator is EventsIn n ? n.Counts(u.Fact, window) : null))],
            FamiliesIn m => [.. members.Where(u => u.Fact.Kind == m.Kind && window.Contains(u.Fact.On) && !string.IsNullOrEmpty(u.Fact.FamilyId))
                .Select(u => Event(u, null))],
            ChildrenIn m => [.. members.Where(u => u.Fact.Kind == m.Kind && window.Contains(u.Fact.On))
                .Select(u => u.Fact.ChildId).Distinct(StringComparer.Ordinal).Select(c => Child(c, null))],
            ChildrenOpenAtEnd m => [.. members.Where(u => m.Counts(u.Fact, window)).Select(u => u.Fact.ChildId).Distinct(StringComparer.Ordinal)
                .Select(c => Child(c, numerator is ChildrenOpenAtEnd n ? members.Any(u => u.Fact.ChildId == c && n.Counts(u.Fact, window)) : null))],
            _ => throw new ArgumentOutOfRangeException(nameof(kpi)),
        };
    }

    private static CohortUnit Event((Fact Fact, FactUnit Unit) u, bool? inNumerator) =>
        new(u.Fact.ChildId, u.Unit.Source, u.Unit.Id, u.Fact.On, string.IsNullOrEmpty(u.Fact.FamilyId) ? null : u.Fact.FamilyId, inNumerator);

    private static CohortUnit Child(string childId, bool? inNumerator) => new(childId, null, null, null, null, inNumerator);
}
