using JasperFx.Events;
using Lscb.CaseFlow.Events;
using Lscb.CaseFlow.Facts;
using Lscb.CaseFlow.Journeys;
using Marten;
using Marten.Events.Projections;

namespace Lscb.CaseFlow.Api.ReadModel;

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

    /// <summary>Advisory locks on families (pg_advisory_xact_lock(int, int)), apart from the children's (bigint).</summary>
    private const int FamilyLockSpace = 2;

    /// <summary>
    /// Moves the daily counts by the difference between the children's stored facts and their new ones, in one
    /// statement whose rows are locked in one global order, so concurrent batches never deadlock on them. The read of
    /// the stored facts also takes the locks of their families and of the new facts' families, in one global order,
    /// until the transaction ends: a family's facts belong to several children, which concurrent batches may rewrite,
    /// and each batch orders the whole family's facts. Child locks are all taken before (EventIngestor) and family locks
    /// only here, so the two cannot wait on each other in a cycle. Returns the families of the stored facts.
    /// </summary>
    private static async Task<IReadOnlyCollection<string>> QueueCountChangesAsync(
        IDocumentOperations operations, string tenant, string[] children, List<Fact> facts, CancellationToken ct)
    {
        // Read as text: Marten's raw SQL reader takes one scalar per row. The family id, any text, comes last; the
        // locks' row (union all runs both parts whatever the first returns) starts with a letter.
        var newFamilies = facts.Where(f => f.FamilyId is not null).Select(f => f.FamilyId!).Distinct(StringComparer.Ordinal).ToArray();
        var old = await operations.AdvancedSql.QueryAsync<string>($"""
            select concat_ws(',', kind, on_date - date '1900-01-01', flags, family_id) from {CaseFlowTables.ChildFacts}
            where tenant_id = ? and child_id = any(?)
            union all
            select 'locked ' || count(pg_advisory_xact_lock({FamilyLockSpace}, l.k))
            from (select distinct hashtext(? || '/' || f.family_id) as k
                  from (select family_id from {CaseFlowTables.ChildFacts} where tenant_id = ? and child_id = any(?) and family_id is not null
                        union all select unnest(?::text[])) f
                  order by 1) l
            """,
            ct, tenant, children, tenant, tenant, children, newFamilies);
        var changes = new Dictionary<(short Kind, DateOnly On, int Flags), long>();
        var families = new HashSet<string>(newFamilies, StringComparer.Ordinal);
        foreach (var row in old.Where(r => !r.StartsWith("locked ", StringComparison.Ordinal)))
        {
            var fields = row.Split(',', 4);
            var parts = fields.Take(3).Select(p => int.Parse(p, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            var key = ((short)parts[0], Epoch.AddDays(parts[1]), parts[2]);
            changes[key] = changes.GetValueOrDefault(key) - 1;
            if (fields.Length == 4)
            {
                families.Add(fields[3]);
            }
        }

        foreach (var f in facts)
        {
            var key = ((short)f.Kind, f.On, (int)f.Flags);
            changes[key] = changes.GetValueOrDefault(key) + 1;
        }

        var moved = changes.Where(c => c.Value != 0).OrderBy(c => c.Key).ToList();
        if (moved.Count == 0)
        {
            return families;
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
        return families;
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
        var timings = new StageClock();
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
        var units = new List<FactUnit>();
        var findings = new List<ChildFinding>();
        foreach (var (child, history) in histories)
        {
            FactsWriter.Derive(child, history, facts, units, findings);
        }

        var derive = timings.Lap();
        var families = await QueueCountChangesAsync(operations, tenant, children, facts, cancellation);
        var counts = timings.Lap();
        operations.QueueSqlCommand($"delete from {CaseFlowTables.ChildFacts} where tenant_id = ? and child_id = any(?)", tenant, children);
        operations.QueueSqlCommand($"delete from {CaseFlowTables.Findings} where tenant_id = ? and child_id = any(?)", tenant, children);
        if (facts.Count > 0)
        {
            // Number new children and families first (in a fixed order, as concurrent batches may share a family).
            var names = facts.Select(f => (Space: FactsWriter.ChildSpace, Name: f.ChildId))
                .Concat(facts.Where(f => f.FamilyId is not null).Select(f => (Space: FactsWriter.FamilySpace, Name: f.FamilyId!)))
                .Distinct().OrderBy(n => n.Space).ThenBy(n => n.Name, StringComparer.Ordinal).ToList();
            operations.QueueSqlCommand($"""
                insert into {CaseFlowTables.Identities} (tenant_id, space, name)
                select ?, n.space, n.name from unnest(?::smallint[], ?::text[]) with ordinality as n(space, name, position)
                order by n.position
                on conflict do nothing
                """,
                tenant, names.Select(n => n.Space).ToArray(), names.Select(n => n.Name).ToArray());
        }

        if (facts.Count > 0 || families.Count > 0)
        {
            // The new facts, each with its family_prev_on, ordered among the new facts and the other children's facts of
            // the families the touched children had or have (their own old facts are deleted above); the other children's
            // facts whose family_prev_on that changes (a fact added before theirs, or one removed) are corrected in the
            // same statement, from the same read of the families.
            operations.QueueSqlCommand($"""
                with n as (
                    select f.*, c.key as child_key, fam.key as family_key
                    from (select ? as tenant_id, * from unnest(?::text[], ?::smallint[], ?::date[], ?::date[], ?::date[], ?::integer[], ?::text[], ?::date[],
                                                               ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                            with ordinality as u(child_id, kind, on_date, until_date, milestone, flags, family_id, prev_on,
                                                 unit_source, unit_id, unit_key, referral_source, mash_decision, category, legal_status, factors_text,
                                                 position)) f
                    join {CaseFlowTables.Identities} c on c.tenant_id = f.tenant_id and c.space = {FactsWriter.ChildSpace} and c.name = f.child_id
                    left join {CaseFlowTables.Identities} fam on fam.tenant_id = f.tenant_id and fam.space = {FactsWriter.FamilySpace} and fam.name = f.family_id
                ), ordered as (
                    select position, row_id, stored, lag(on_date) over ({FactsWriter.FamilyOrder}) as family_prev_on
                    from (select family_key, kind, on_date, child_key, prev_on, position, null::tid as row_id, null::date as stored
                          from n where family_key is not null
                          union all
                          select s.family_key, s.kind, s.on_date, s.child_key, s.prev_on, null, s.ctid, s.family_prev_on
                          from {CaseFlowTables.ChildFacts} s
                          where s.tenant_id = ? and s.family_key in (
                              select key from {CaseFlowTables.Identities} where tenant_id = ? and space = {FactsWriter.FamilySpace} and name = any(?))) family_facts
                ), corrected as (
                    update {CaseFlowTables.ChildFacts} f set family_prev_on = o.family_prev_on
                    from ordered o
                    where o.row_id is not null and f.ctid = o.row_id and o.stored is distinct from o.family_prev_on
                )
                insert into {CaseFlowTables.ChildFacts}
                    (tenant_id, child_id, kind, on_date, until_date, milestone, flags, family_id, child_key, family_key, prev_on, family_prev_on,
                     unit_source, unit_id, unit_key, referral_source, mash_decision, category, legal_status, factors)
                select n.tenant_id, n.child_id, n.kind, n.on_date, n.until_date, n.milestone, n.flags, n.family_id, n.child_key, n.family_key,
                       n.prev_on, o.family_prev_on,
                       n.unit_source, n.unit_id, n.unit_key, n.referral_source, n.mash_decision, n.category, n.legal_status,
                       string_to_array(n.factors_text, ',')
                from n left join ordered o on o.position = n.position
                """,
                tenant,
                facts.Select(f => f.ChildId).ToArray(),
                facts.Select(f => (short)f.Kind).ToArray(),
                facts.Select(f => f.On).ToArray(),
                facts.Select(f => f.Until).ToArray(),
                facts.Select(f => f.Milestone).ToArray(),
                facts.Select(f => (int)f.Flags).ToArray(),
                facts.Select(f => f.FamilyId).ToArray(),
                FactsWriter.PreviousDates(facts),
                units.Select(u => u.Source).ToArray(),
                units.Select(u => u.Id).ToArray(),
                units.Select(u => u.Key).ToArray(),
                units.Select(u => u.ReferralSource).ToArray(),
                units.Select(u => u.MashDecision).ToArray(),
                units.Select(u => u.Category).ToArray(),
                units.Select(u => u.LegalStatus).ToArray(),
                units.Select(FactsWriter.FactorsText).ToArray(),
                tenant,
                tenant,
                families.ToArray());
        }

        if (findings.Count > 0)
        {
            operations.QueueSqlCommand(FactsWriter.InsertFindings("?", "?", "?", "?", "?", "?", "?"),
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
