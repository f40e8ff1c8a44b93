using JasperFx.Events;
using Lscb.CaseFlow.Events;
using Lscb.CaseFlow.Facts;
using Lscb.CaseFlow.Journeys;
using Marten;
using Marten.Events.Projections;

namespace Lscb.CaseFlow.Api;

/// <summary>
/// Keeps each child's facts and data-quality findings current. Whenever a child's stream changes, the
/// child's whole history is read back and the facts are derived again by the domain's pure functions, so a
/// late or out-of-order event corrects everything it touches (an earlier referral turns a later one into a
/// re-referral). Runs inline: once a batch is acknowledged, the KPIs include it.
/// </summary>
public sealed class ChildFactsProjection : IProjection
{
    public const string Name = "child-facts";

    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var children = events.Select(e => e.StreamKey!).Distinct(StringComparer.Ordinal).ToArray();
        if (children.Length == 0)
        {
            return;
        }

        // Inline, the new events are not in the table yet; during a rebuild they are. Either way, merge by id.
        var stored = await operations.Events.QueryAllRawEvents()
            .Where(e => e.StreamKey!.IsOneOf(children))
            .ToListAsync(cancellation);
        var histories = stored.Concat(events)
            .DistinctBy(e => e.Id)
            .Where(e => e.Data is CaseEvent)
            .GroupBy(e => e.StreamKey!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => ChildHistory.Of(g.Select(e => (CaseEvent)e.Data)), StringComparer.Ordinal);

        var facts = new List<Fact>();
        var findings = new List<(string Child, Finding Finding, DateOnly On)>();
        foreach (var (child, history) in histories)
        {
            facts.AddRange(ChildFacts.Of(child, history));
            var occurredOn = history.Live.ToDictionary(e => (e.Source, e.EventId), e => e.OccurredOn);
            findings.AddRange(DataQuality.Of(history).Select(f => (child, f, occurredOn[(f.Source, f.EventId)])));
        }

        var tenant = operations.TenantId;
        operations.QueueSqlCommand($"delete from {CaseFlowTables.ChildFacts} where tenant_id = ? and child_id = any(?)", tenant, children);
        operations.QueueSqlCommand($"delete from {CaseFlowTables.Findings} where tenant_id = ? and child_id = any(?)", tenant, children);
        if (facts.Count > 0)
        {
            operations.QueueSqlCommand($"""
                insert into {CaseFlowTables.ChildFacts} (tenant_id, child_id, kind, on_date, until_date, milestone, flags, family_id)
                select ?, * from unnest(?::text[], ?::smallint[], ?::date[], ?::date[], ?::date[], ?::integer[], ?::text[])
                """,
                tenant,
                facts.Select(f => f.ChildId).ToArray(),
                facts.Select(f => (short)f.Kind).ToArray(),
                facts.Select(f => f.On).ToArray(),
                facts.Select(f => f.Until).ToArray(),
                facts.Select(f => f.Milestone).ToArray(),
                facts.Select(f => (int)f.Flags).ToArray(),
                facts.Select(f => f.FamilyId).ToArray());
        }

        if (findings.Count > 0)
        {
            operations.QueueSqlCommand($"""
                insert into {CaseFlowTables.Findings} (tenant_id, child_id, source, event_id, rule, message, occurred_on)
                select ?, * from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::date[])
                """,
                tenant,
                findings.Select(f => f.Child).ToArray(),
                findings.Select(f => f.Finding.Source).ToArray(),
                findings.Select(f => f.Finding.EventId).ToArray(),
                findings.Select(f => f.Finding.Rule).ToArray(),
                findings.Select(f => f.Finding.Message).ToArray(),
                findings.Select(f => f.On).ToArray());
        }
    }
}
