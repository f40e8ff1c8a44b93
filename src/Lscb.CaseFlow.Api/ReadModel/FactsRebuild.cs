using System.Diagnostics;
using Lscb.CaseFlow.Events;
using Lscb.CaseFlow.Facts;
using Lscb.CaseFlow.Journeys;
using Marten;
using Npgsql;
using NpgsqlTypes;
using Lscb.CaseFlow.Api.ReadModel.Storage;

namespace Lscb.CaseFlow.Api.ReadModel;

/// <summary>
/// Rebuilds an authority's projected tables (facts, daily counts, findings) from its event log in bulk: the events are
/// read once, in stream order, each child derived by <see cref="FactsWriter.Derive"/> as soon as its stream
/// ends, and the facts streamed into PostgreSQL with binary COPY; the daily counts are then counted from the facts in one
/// statement. The same rows as Marten's <c>projections rebuild</c>, several times faster (docs/performance.md).
/// </summary>
/// <remarks>
/// One transaction per authority. Until it commits, readers see the old figures, never a half-built table; it begins by
/// taking <c>event_keys</c> in share mode, which waits for batches being stored and holds new ones (their clients wait,
/// or get a 503 and send again), so no event can be stored beside the rebuild and missed or counted twice. Memory holds
/// one child's events at a time, and the findings (few: 166 for 200,000 benchmark events). With the asynchronous
/// projection, stop the daemons first, as for Marten's rebuild.
/// </remarks>
public sealed class FactsRebuild(IDocumentStore store, TenantDatabases databases, ILogger<FactsRebuild> logger)
{
    /// <summary>
    /// Findings per insert. They wait until the facts' COPY has ended (a connection runs one COPY at a time), then go in
    /// pages of this many.
    /// </summary>
    private const int FindingsPage = 5_000;

    private static readonly IReadOnlyDictionary<string, Type> Types =
        EventTypes.All.ToDictionary(t => t.Name, t => t.ClrType, StringComparer.Ordinal);

    public sealed record Outcome(string TenantId, long Events, long Children, long Facts, long Findings, TimeSpan Took);

    /// <summary>The authorities that have events in each database: what a rebuild of everything goes through.</summary>
    public async Task<IReadOnlyList<string>> TenantsAsync(CancellationToken ct)
    {
        var tenants = new List<string>();
        foreach (var db in databases.Primaries)
        {
            await using var cmd = db.CreateCommand($"select distinct tenant_id from {CaseFlowTables.Schema}.mt_streams order by 1");
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                tenants.Add(reader.GetString(0));
            }
        }

        return tenants.Distinct(StringComparer.Ordinal).ToList();
    }

    public async Task<Outcome> RebuildAsync(string tenantId, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var db = databases.For(tenantId);
        var serializer = store.Options.Serializer();

        await using var writer = await db.OpenConnectionAsync(ct);
        await using var tx = await writer.BeginTransactionAsync(ct);
        await ExecuteAsync(writer, tx, $"lock table {CaseFlowTables.EventKeys} in share mode", ct);
        await ExecuteAsync(writer, tx, """
            create temporary table rebuilt_facts (
                child_id text not null, kind smallint not null, on_date date not null, until_date date, milestone date,
                flags integer not null, family_id text, prev_on date,
                unit_source text, unit_id text, unit_key text, referral_source text, mash_decision text, category text, legal_status text,
                factors text[]) on commit drop
            """, ct);
        foreach (var table in new[] { CaseFlowTables.ChildFacts, CaseFlowTables.FactCounts, CaseFlowTables.Findings })
        {
            await ExecuteAsync(writer, tx, $"delete from {table} where tenant_id = @tenant", ct, tenantId);
        }

        var emptied = clock.Elapsed;

        // The events through a second connection, in a snapshot taken after the lock: every event stored before the
        // rebuild, none after. Stream order (the unique index on tenant, stream, version) keeps one child at a time.
        await using var reading = await db.OpenConnectionAsync(ct);
        await using var snapshot = await reading.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        await using var select = new NpgsqlCommand($"""
            select stream_id, type, data from {CaseFlowTables.Schema}.mt_events
            where tenant_id = @tenant and not is_archived order by tenant_id, stream_id, version
            """, reading, snapshot);
        select.Parameters.AddWithValue("tenant", tenantId);

        long events = 0, children = 0, facts = 0, findingsWritten = 0;
        var findings = new List<ChildFinding>();
        var childFacts = new List<Fact>();
        var childUnits = new List<FactUnit>();
        await using (var reader = await select.ExecuteReaderAsync(ct))
        await using (var copy = await writer.BeginBinaryImportAsync(
            "copy rebuilt_facts (child_id, kind, on_date, until_date, milestone, flags, family_id, prev_on, unit_source, unit_id, unit_key, referral_source, mash_decision, category, legal_status, factors) from stdin (format binary)", ct))
        {
            string? child = null;
            var history = new List<CaseEvent>();
            async Task FlushChildAsync()
            {
                if (child is null)
                {
                    return;
                }

                children++;
                childFacts.Clear();
                childUnits.Clear();
                FactsWriter.Derive(child, ChildHistory.Of(history), childFacts, childUnits, findings);
                var previous = FactsWriter.PreviousDates(childFacts);
                for (var i = 0; i < childFacts.Count; i++)
                {
                    var f = childFacts[i];
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync(f.ChildId, NpgsqlDbType.Text, ct);
                    await copy.WriteAsync((short)f.Kind, NpgsqlDbType.Smallint, ct);
                    await copy.WriteAsync(f.On, NpgsqlDbType.Date, ct);
                    await WriteNullableAsync(copy, f.Until, ct);
                    await WriteNullableAsync(copy, f.Milestone, ct);
                    await copy.WriteAsync((int)f.Flags, NpgsqlDbType.Integer, ct);
                    if (f.FamilyId is null)
                    {
                        await copy.WriteNullAsync(ct);
                    }
                    else
                    {
                        await copy.WriteAsync(f.FamilyId, NpgsqlDbType.Text, ct);
                    }

                    await WriteNullableAsync(copy, previous[i], ct);
                    var u = childUnits[i];
                    foreach (var text in new[] { u.Source, u.Id, u.Key, u.ReferralSource, u.MashDecision, u.Category, u.LegalStatus })
                    {
                        await WriteNullableAsync(copy, text, ct);
                    }

                    if (u.Factors is { Count: > 0 } factors)
                    {
                        await copy.WriteAsync(factors.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
                    }
                    else
                    {
                        await copy.WriteNullAsync(ct);
                    }
                }

                facts += childFacts.Count;
                history.Clear();
            }

            while (await reader.ReadAsync(ct))
            {
                var stream = reader.GetString(0);
                if (!string.Equals(stream, child, StringComparison.Ordinal))
                {
                    await FlushChildAsync();
                    child = stream;
                }

                // Marten's own serializer and the catalogue's wire names: the same records the projection is given.
                if (Types.TryGetValue(reader.GetString(1), out var type) && serializer.FromJson(type, reader, 2) is CaseEvent e)
                {
                    history.Add(e);
                }

                events++;
            }

            await FlushChildAsync();
            await copy.CompleteAsync(ct);
        }

        await snapshot.CommitAsync(ct);
        var derived = clock.Elapsed;
        for (var i = 0; i < findings.Count; i += FindingsPage)
        {
            findingsWritten += await InsertFindingsAsync(writer, tx, tenantId, findings.GetRange(i, Math.Min(FindingsPage, findings.Count - i)), ct);
        }

        // Dense numbers for children and families new to the table (a rebuild keeps the old ones), then the facts with
        // them, then the daily counts from the facts: the same rows, keys and counts the projection keeps. The facts go
        // in in the order of the window index, which its inserts then append to rather than scatter over. Each family's
        // facts are ordered as the projection orders them, for family_prev_on.
        await ExecuteAsync(writer, tx, $"""
            insert into {CaseFlowTables.Identities} (tenant_id, space, name)
            select @tenant, n.space, n.name from (
                select distinct {FactsWriter.ChildSpace}::smallint as space, child_id as name from rebuilt_facts
                union select distinct {FactsWriter.FamilySpace}::smallint, family_id from rebuilt_facts where family_id is not null) n
            order by n.space, n.name collate "C"
            on conflict do nothing
            """, ct, tenantId);
        var numbered = clock.Elapsed;
        await ExecuteAsync(writer, tx, $"""
            insert into {CaseFlowTables.ChildFacts}
                (tenant_id, child_id, kind, on_date, until_date, milestone, flags, family_id, child_key, family_key, prev_on, family_prev_on,
                 unit_source, unit_id, unit_key, referral_source, mash_decision, category, legal_status, factors)
            select @tenant, child_id, kind, on_date, until_date, milestone, flags, family_id, child_key, family_key, prev_on,
                   case when family_key is not null then lag(on_date) over ({FactsWriter.FamilyOrder}) end,
                   unit_source, unit_id, unit_key, referral_source, mash_decision, category, legal_status, factors
            from (select f.*, c.key as child_key, fam.key as family_key
                  from rebuilt_facts f
                  join {CaseFlowTables.Identities} c on c.tenant_id = @tenant and c.space = {FactsWriter.ChildSpace} and c.name = f.child_id
                  left join {CaseFlowTables.Identities} fam on fam.tenant_id = @tenant and fam.space = {FactsWriter.FamilySpace} and fam.name = f.family_id) f
            order by kind, on_date
            """, ct, tenantId);
        var inserted = clock.Elapsed;
        await ExecuteAsync(writer, tx, $"""
            insert into {CaseFlowTables.FactCounts} (tenant_id, kind, on_date, flags, n)
            select @tenant, kind, on_date, flags, count(*) from rebuilt_facts group by kind, on_date, flags
            """, ct, tenantId);
        await tx.CommitAsync(ct);

        var outcome = new Outcome(tenantId, events, children, facts, findingsWritten, clock.Elapsed);
        logger.LogInformation(
            "Rebuilt the facts of {Tenant}: {Events} events, {Children} children, {Facts} facts, {Findings} findings in {Ms} ms "
            + "(old rows deleted by {EmptiedMs} ms, events read, derived and copied by {DerivedMs} ms, numbered by {NumberedMs} ms, facts inserted by {InsertedMs} ms).",
            tenantId, events, children, facts, findingsWritten, (long)clock.Elapsed.TotalMilliseconds,
            (long)emptied.TotalMilliseconds, (long)derived.TotalMilliseconds, (long)numbered.TotalMilliseconds, (long)inserted.TotalMilliseconds);
        return outcome;
    }

    private static async Task WriteNullableAsync(NpgsqlBinaryImporter copy, string? text, CancellationToken ct)
    {
        if (text is null)
        {
            await copy.WriteNullAsync(ct);
        }
        else
        {
            await copy.WriteAsync(text, NpgsqlDbType.Text, ct);
        }
    }

    private static async Task WriteNullableAsync(NpgsqlBinaryImporter copy, DateOnly? date, CancellationToken ct)
    {
        if (date is { } d)
        {
            await copy.WriteAsync(d, NpgsqlDbType.Date, ct);
        }
        else
        {
            await copy.WriteNullAsync(ct);
        }
    }

    private static async Task<int> InsertFindingsAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, string tenantId, IReadOnlyList<ChildFinding> findings, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            FactsWriter.InsertFindings("@tenant", "@child", "@source", "@event", "@rule", "@message", "@on"), connection, tx);
        cmd.Parameters.AddWithValue("tenant", tenantId);
        cmd.Parameters.AddWithValue("child", findings.Select(f => f.Child).ToArray());
        cmd.Parameters.AddWithValue("source", findings.Select(f => f.Finding.Source).ToArray());
        cmd.Parameters.AddWithValue("event", findings.Select(f => f.Finding.EventId).ToArray());
        cmd.Parameters.AddWithValue("rule", findings.Select(f => f.Finding.Rule).ToArray());
        cmd.Parameters.AddWithValue("message", findings.Select(f => f.Finding.Message).ToArray());
        cmd.Parameters.AddWithValue("on", findings.Select(f => f.On).ToArray());
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, CancellationToken ct, string? tenantId = null)
    {
        await using var cmd = new NpgsqlCommand(sql, connection, tx) { CommandTimeout = 0 };
        if (tenantId is not null)
        {
            cmd.Parameters.AddWithValue("tenant", tenantId);
        }

        await cmd.ExecuteNonQueryAsync(ct);
    }
}
