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
/// re-referral). Runs inline by default (once a batch is acknowledged, the KPIs include it), or in Marten's daemon
/// (<see cref="ProjectionSettings"/>), where a page of events may hold many children's, and a child's events past the
/// page are read too: the facts are recomputed from the whole stream either way, so the order of pages cannot matter.
/// </summary>
public sealed class ChildFactsProjection(ILogger<ChildFactsProjection>? logger = null) : IProjection
{
    public const string Name = "child-facts";

    /// <summary>The daemon's one shard of it, as named in <c>mt_event_progression</c> when it runs asynchronously.</summary>
    public const string ShardName = Name + ":All";

    private readonly ILogger _logger = logger ?? (ILogger)Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    private static readonly DateOnly Epoch = new(1900, 1, 1);
    private const short ChildSpace = 1;
    private const short FamilySpace = 2;

    /// <summary>
    /// Moves the daily counts by the difference between the children's stored facts and their new ones, in one
    /// statement whose rows are locked in one global order, so concurrent batches never deadlock on them.
    /// </summary>
    private static async Task QueueCountChangesAsync(
        IDocumentOperations operations, string tenant, string[] children, List<Fact> facts, CancellationToken ct)
    {
        // Read as text: Marten's raw SQL reader takes one scalar per row.
        var old = await operations.AdvancedSql.QueryAsync<string>(
            $"select concat_ws(',', kind, on_date - date '1900-01-01', flags) from {CaseFlowTables.ChildFacts} where tenant_id = ? and child_id = any(?)",
            ct, tenant, children);
        var changes = new Dictionary<(short Kind, DateOnly On, int Flags), long>();
        foreach (var row in old)
        {
            var parts = row.Split(',').Select(p => int.Parse(p, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            var key = ((short)parts[0], Epoch.AddDays(parts[1]), parts[2]);
            changes[key] = changes.GetValueOrDefault(key) - 1;
        }

        foreach (var f in facts)
        {
            var key = ((short)f.Kind, f.On, (int)f.Flags);
            changes[key] = changes.GetValueOrDefault(key) + 1;
        }

        var moved = changes.Where(c => c.Value != 0).OrderBy(c => c.Key).ToList();
        if (moved.Count == 0)
        {
            return;
        }

        operations.QueueSqlCommand($"""
            insert into {CaseFlowTables.FactCounts} as c (tenant_id, kind, on_date, flags, n)
            select ?, d.kind, d.on_date, d.flags, d.n
            from unnest(?::smallint[], ?::date[], ?::integer[], ?::bigint[]) with ordinality as d(kind, on_date, flags, n, position)
            order by d.position
            on conflict (tenant_id, kind, on_date, flags) do update set n = c.n + excluded.n
            """,
            tenant,
            moved.Select(c => c.Key.Kind).ToArray(),
            moved.Select(c => c.Key.On).ToArray(),
            moved.Select(c => c.Key.Flags).ToArray(),
            moved.Select(c => c.Value).ToArray());
    }

    /// <summary>
    /// A child's facts and data-quality findings from its whole history, by the domain's pure functions: what this
    /// projection writes, and what <see cref="FactsRebuild"/> writes in bulk.
    /// </summary>
    public static void Derive(string child, ChildHistory history, List<Fact> facts, List<ChildFinding> findings)
    {
        facts.AddRange(ChildFacts.Of(child, history));
        var occurredOn = history.Live.ToDictionary(e => (e.Source, e.EventId), e => e.OccurredOn);
        var imported = history.Only(e => e.Source == Imports.HistoryImporter.Source);
        findings.AddRange(DataQuality.Of(history).Concat(CensusRules.Of(imported)).Select(f => new ChildFinding(child, f, occurredOn[(f.Source, f.EventId)])));
    }

    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var children = events.Select(e => e.StreamKey!).Distinct(StringComparer.Ordinal).ToArray();
        if (children.Length == 0)
        {
            return;
        }

        // The children's other events: inline, the new events are not in the table yet; during a rebuild they are, and
        // are not read again (most of a child's events are usually in the same page). Either way, merge by id.
        var timings = new Ingestion.StageClock();
        var tenant = operations.TenantId;
        var given = events.Select(e => e.Id).ToArray();
        var stored = await operations.Events.QueryAllRawEvents()
            .Where(e => e.TenantId == tenant && e.StreamKey!.IsOneOf(children) && !e.Id.IsOneOf(given))
            .ToListAsync(cancellation);
        var histories = stored.Concat(events)
            .DistinctBy(e => e.Id)
            .Where(e => e.Data is CaseEvent)
            .GroupBy(e => e.StreamKey!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => ChildHistory.Of(g.Select(e => (CaseEvent)e.Data)), StringComparer.Ordinal);

        var read = timings.Lap();
        var facts = new List<Fact>();
        var findings = new List<ChildFinding>();
        foreach (var (child, history) in histories)
        {
            Derive(child, history, facts, findings);
        }

        var derive = timings.Lap();
        await QueueCountChangesAsync(operations, tenant, children, facts, cancellation);
        var counts = timings.Lap();
        operations.QueueSqlCommand($"delete from {CaseFlowTables.ChildFacts} where tenant_id = ? and child_id = any(?)", tenant, children);
        operations.QueueSqlCommand($"delete from {CaseFlowTables.Findings} where tenant_id = ? and child_id = any(?)", tenant, children);
        if (facts.Count > 0)
        {
            // Number new children and families first (in a fixed order, as concurrent batches may share a family).
            var names = facts.Select(f => (Space: ChildSpace, Name: f.ChildId))
                .Concat(facts.Where(f => f.FamilyId is not null).Select(f => (Space: FamilySpace, Name: f.FamilyId!)))
                .Distinct().OrderBy(n => n.Space).ThenBy(n => n.Name, StringComparer.Ordinal).ToList();
            operations.QueueSqlCommand($"""
                insert into {CaseFlowTables.Identities} (tenant_id, space, name)
                select ?, n.space, n.name from unnest(?::smallint[], ?::text[]) with ordinality as n(space, name, position)
                order by n.position
                on conflict do nothing
                """,
                tenant, names.Select(n => n.Space).ToArray(), names.Select(n => n.Name).ToArray());

            operations.QueueSqlCommand($"""
                insert into {CaseFlowTables.ChildFacts}
                    (tenant_id, child_id, kind, on_date, until_date, milestone, flags, family_id, child_key, family_key)
                select f.tenant_id, f.child_id, f.kind, f.on_date, f.until_date, f.milestone, f.flags, f.family_id, c.key, fam.key
                from (select ? as tenant_id, * from unnest(?::text[], ?::smallint[], ?::date[], ?::date[], ?::date[], ?::integer[], ?::text[])
                        as u(child_id, kind, on_date, until_date, milestone, flags, family_id)) f
                join {CaseFlowTables.Identities} c on c.tenant_id = f.tenant_id and c.space = {ChildSpace} and c.name = f.child_id
                left join {CaseFlowTables.Identities} fam on fam.tenant_id = f.tenant_id and fam.space = {FamilySpace} and fam.name = f.family_id
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

        // Where the projection's time goes, when asked for (Debug); its writes are queued here and sent with the
        // session's other commands, so they are in the caller's time (EventIngestor's 'append and projection').
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            _logger.LogDebug(
                "Projection timings: {Events} events, {Children} children, {Stored} stored events read, {Facts} facts; stored events read {ReadMs} ms, facts derived {DeriveMs} ms, previous facts read {CountsMs} ms, writes queued {QueueMs} ms",
                events.Count, children.Length, stored.Count, facts.Count, read, derive, counts, timings.Lap());
        }
    }
}

/// <summary>A data-quality finding about a child, dated by the event it is about.</summary>
public sealed record ChildFinding(string Child, Finding Finding, DateOnly On);
