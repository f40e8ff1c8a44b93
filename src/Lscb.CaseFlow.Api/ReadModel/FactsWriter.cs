using Lscb.CaseFlow.Events;
using Lscb.CaseFlow.Facts;
using Lscb.CaseFlow.Journeys;

namespace Lscb.CaseFlow.Api.ReadModel;

/// <summary>
/// What a child's rows in the read model are, written the same way by the projection (a child at a time, as events
/// arrive) and the rebuild (every child, in bulk): the facts and findings derived from the child's whole history,
/// each fact's previous date, the dense keys, the family order and the findings' insert.
/// </summary>
public static class FactsWriter
{
    /// <summary>
    /// The derivation's version: raise it whenever <see cref="Derive"/> writes different facts for the same history (a
    /// new kind or flag), and every database's facts are made again at the next start (<see cref="FactsVersion"/>).
    /// 2: timeliness (assessments, conferences, reviews). 3: each fact's unit and its dimension values.
    /// </summary>
    public const int Version = 3;

    /// <summary>A unit's factors as one text for the statements' arrays (codes hold no commas), or null.</summary>
    public static string? FactorsText(FactUnit unit) => unit.Factors is { Count: > 0 } f ? string.Join(',', f) : null;

    /// <summary>The number spaces of <c>identities</c>: children's and families' dense keys.</summary>
    public const short ChildSpace = 1;
    public const short FamilySpace = 2;

    /// <summary>
    /// The order of a family's facts of one kind, for <c>family_prev_on</c>: by date, then child, then the child's own
    /// order (its first fact of a date has the earlier <c>prev_on</c>), so that exactly one fact of each date can be
    /// the family's first in a window, and the same one however the facts were written.
    /// </summary>
    internal const string FamilyOrder = "partition by family_key, kind order by on_date, child_key, prev_on nulls first";

    /// <summary>
    /// The date of each fact's previous fact of the same child and kind, null for the first (the facts' order breaks
    /// ties: OrderBy is stable).
    /// </summary>
    internal static DateOnly?[] PreviousDates(IReadOnlyList<Fact> facts)
    {
        var previous = new DateOnly?[facts.Count];
        foreach (var sameKind in Enumerable.Range(0, facts.Count).GroupBy(i => (facts[i].ChildId, facts[i].Kind)))
        {
            DateOnly? last = null;
            foreach (var i in sameKind.OrderBy(i => facts[i].On))
            {
                previous[i] = last;
                last = facts[i].On;
            }
        }

        return previous;
    }

    /// <summary>
    /// A child's facts and data-quality findings from its whole history, by the domain's pure functions: what the
    /// projection writes, and what <see cref="FactsRebuild"/> writes in bulk.
    /// </summary>
    public static void Derive(string child, ChildHistory history, List<Fact> facts, List<FactUnit> units, List<ChildFinding> findings)
    {
        foreach (var (fact, unit) in ChildFacts.WithUnits(child, history))
        {
            facts.Add(fact);
            units.Add(unit);
        }

        var occurredOn = history.Live.ToDictionary(e => (e.Source, e.EventId), e => e.OccurredOn);
        var imported = history.Only(e => e.Source == Sources.ImportedHistory);
        findings.AddRange(DataQuality.Of(history).Concat(CensusRules.Of(imported)).Select(f => new ChildFinding(child, f, occurredOn[(f.Source, f.EventId)])));
    }

    /// <summary>The insert of findings from arrays, with the placeholders of the caller's driver (Marten's <c>?</c>, Npgsql's <c>@name</c>).</summary>
    public static string InsertFindings(string tenant, string child, string source, string eventId, string rule, string message, string on) => $"""
        insert into {CaseFlowTables.Findings} (tenant_id, child_id, source, event_id, rule, message, occurred_on)
        select {tenant}, * from unnest({child}::text[], {source}::text[], {eventId}::text[], {rule}::text[], {message}::text[], {on}::date[])
        """;
}

/// <summary>A data-quality finding about a child, dated by the event it is about.</summary>
public sealed record ChildFinding(string Child, Finding Finding, DateOnly On);
