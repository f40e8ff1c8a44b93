using Lscb.CaseFlow.Facts;
using Lscb.CaseFlow.Journeys;
using static Lscb.CaseFlow.Kpis.KpiDefinitions;

namespace Lscb.CaseFlow.Kpis;

/// <summary>
/// Breakdowns as kpis.md defines them: a KPI's units restricted to those whose value of a dimension is g, for every g
/// that occurs, each group's figure computed exactly as the whole KPI's. Counted here in memory from the facts and their
/// units: the reference a query in the database must equal.
/// </summary>
public static class Breakdowns
{
    /// <summary>The KPIs each dimension applies to, in kpis.md's order. Rates per 10,000 are never broken down.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<Kpi>> AppliesTo = new Dictionary<string, IReadOnlyList<Kpi>>(StringComparer.Ordinal)
    {
        [Dimensions.ReferralSource] = [Contacts, ContactsToAssessmentOrS47Rate, Referrals, ChildrenReferred, ReReferralRate, ReReferralsAfterConsentDeclinedRate],
        [Dimensions.Agency] = [Contacts, ContactsToAssessmentOrS47Rate, Referrals, ChildrenReferred, ReReferralRate, ReReferralsAfterConsentDeclinedRate],
        [Dimensions.MashDecision] = [Contacts],
        [Dimensions.Category] = [PlansStarted, RepeatPlansRate, RepeatPlansWithin2YearsRate, PlansCeased, PlansCeasedLasting2YearsRate,
                                 ChildrenOnPlan, PlansOver18MonthsRate, PlansReviewedOnTimeRate],
        [Dimensions.Factor] = [AssessmentsCompleted, AssessmentsWithin45WorkingDaysRate],
        [Dimensions.LegalStatus] = [ChildrenLookedAfter],
    };

    /// <summary>KPIs whose unit is a child at the window's end, grouped by the child's value on that date.</summary>
    private static readonly IReadOnlySet<Kpi> ChildAtEnd = new HashSet<Kpi>([ChildrenOnPlan, PlansOver18MonthsRate, PlansReviewedOnTimeRate, ChildrenLookedAfter]);

    /// <summary>Every KPI the dimension applies to, with each group that occurs and its figure ([] when none does).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, KpiValue>> Evaluate(
        string dimension, IReadOnlyList<(Fact Fact, FactUnit Unit)> units, Window window)
    {
        if (!AppliesTo.TryGetValue(dimension, out var kpis))
        {
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "Not a dimension of kpis.md.");
        }

        var answer = new Dictionary<string, IReadOnlyDictionary<string, KpiValue>>(StringComparer.Ordinal);
        foreach (var kpi in kpis)
        {
            var groups = new Dictionary<string, KpiValue>(StringComparer.Ordinal);
            foreach (var (group, members) in Groups(dimension, kpi, units, window))
            {
                var facts = members.Select(m => m.Fact).ToList();
                if (Occurs(kpi, facts, window))
                {
                    groups[group] = kpi.Evaluate(m => m.CountIn(facts, window), population: null);
                }
            }

            answer[kpi.Key] = groups;
        }

        return answer;
    }

    /// <summary>The facts (with their units) of each group of a KPI under a dimension.</summary>
    public static Dictionary<string, List<(Fact Fact, FactUnit Unit)>> Groups(
        string dimension, Kpi kpi, IReadOnlyList<(Fact Fact, FactUnit Unit)> units, Window window) =>
        ChildAtEnd.Contains(kpi) ? ByChildAtEnd(dimension, units, window.To) : ByUnit(dimension, units);

    /// <summary>Whether the KPI's units are children grouped by their value at the window's end.</summary>
    public static bool IsByChildAtEnd(Kpi kpi) => ChildAtEnd.Contains(kpi);

    /// <summary>A group appears when at least one unit has its value: for a percentage, one in its denominator.</summary>
    private static bool Occurs(Kpi kpi, IReadOnlyList<Fact> facts, Window window) => kpi switch
    {
        Kpi.Percentage p => p.Denominator.CountIn(facts, window) > 0,
        _ => kpi.Measures.Any(m => m.CountIn(facts, window) > 0),
    };

    /// <summary>The facts of each group: a fact under each value its unit has (an assessment under each factor).</summary>
    private static Dictionary<string, List<(Fact Fact, FactUnit Unit)>> ByUnit(string dimension, IReadOnlyList<(Fact Fact, FactUnit Unit)> units)
    {
        var groups = new Dictionary<string, List<(Fact, FactUnit)>>(StringComparer.Ordinal);
        foreach (var (fact, unit) in units)
        {
            foreach (var value in ValuesOf(dimension, unit))
            {
                (groups.TryGetValue(value, out var list) ? list : groups[value] = []).Add((fact, unit));
            }
        }

        return groups;
    }

    /// <summary>
    /// The facts of the children in each group at <paramref name="date"/>: under category, that of the child's
    /// latest-started open plan; under legal status, that of its latest-started open episode that is not a short break
    /// (ties to the greatest plan or episode id).
    /// </summary>
    private static Dictionary<string, List<(Fact Fact, FactUnit Unit)>> ByChildAtEnd(string dimension, IReadOnlyList<(Fact Fact, FactUnit Unit)> units, DateOnly date)
    {
        var (kind, excluding) = dimension == Dimensions.LegalStatus ? (FactKind.CareEpisode, FactFlags.ShortBreak) : (FactKind.Plan, FactFlags.None);
        var valueOfChild = units
            .Where(u => u.Fact.Kind == kind && u.Fact.IsOpenAt(date) && (u.Fact.Flags & excluding) == 0)
            .GroupBy(u => u.Fact.ChildId, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => g.OrderBy(u => u.Fact.On).ThenBy(u => u.Unit.Key, StringComparer.Ordinal).Last().Unit,
                StringComparer.Ordinal);
        var groups = new Dictionary<string, List<(Fact, FactUnit)>>(StringComparer.Ordinal);
        foreach (var (fact, own) in units)
        {
            if (valueOfChild.TryGetValue(fact.ChildId, out var unit) && ValuesOf(dimension, unit).SingleOrDefault() is { } value)
            {
                (groups.TryGetValue(value, out var list) ? list : groups[value] = []).Add((fact, own));
            }
        }

        return groups;
    }

    /// <summary>A unit's values under a dimension: one, several under factor, none where the dimension does not apply.</summary>
    public static IReadOnlyList<string> ValuesOf(string dimension, FactUnit unit) => dimension switch
    {
        Dimensions.ReferralSource => unit.ReferralSource is { } s ? [s] : [],
        Dimensions.Agency => unit.ReferralSource is { } s ? [Dimensions.AgencyOf(s)] : [],
        Dimensions.MashDecision => unit.MashDecision is { } d ? [d] : [],
        Dimensions.Category => unit.Category is { } c ? [c] : [],
        Dimensions.Factor => unit.Factors ?? [],
        Dimensions.LegalStatus => unit.LegalStatus is { } l ? [l] : [],
        _ => throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "Not a dimension of kpis.md."),
    };
}
