using Lscb.CaseFlow.Events;
using Marten;
using Npgsql;
using Lscb.CaseFlow.Api.ReadModel.Storage;
using Lscb.CaseFlow.Api.ReadModel;

namespace Lscb.CaseFlow.Api.Features.Ingesting;

/// <summary>A validated event ready to store.</summary>
public sealed record ValidEvent(int Index, string Source, string Id, string Subject, string Type, byte[] ContentHash, CaseEvent Event)
{
    /// <summary>An incoming event that the validator accepted, with its content hash and domain record.</summary>
    public static ValidEvent From(IncomingEvent e) => new(e.Index, e.Source!, e.Id!, e.Subject!, e.Type!,
        Ingesting.ContentHash.Of(e.Type!, e.Subject!, e.Data!.Value), EventMapper.ToDomain(e));
}

public abstract record IngestionOutcome
{
    public sealed record Stored(int Accepted, int Duplicates) : IngestionOutcome
    {
        /// <summary>The events stored now (the rest were duplicates).</summary>
        public IReadOnlyList<ValidEvent> Fresh { get; init; } = [];
    }

    /// <summary>Another event is already held under these <c>source</c> + <c>id</c>.</summary>
    public sealed record Conflict(IReadOnlyList<ValidEvent> Events) : IngestionOutcome;

    /// <summary>Retractions naming no event of their source and subject.</summary>
    public sealed record UnknownRetractionTargets(IReadOnlyList<ValidEvent> Retractions) : IngestionOutcome;
}

/// <summary>
/// Stores a batch all or nothing, once. Idempotency is the database's: the key table's primary key on
/// (tenant, source, id) is claimed in the same transaction that appends the events, so concurrent
/// clients posting overlapping batches wait for each other instead of storing an event twice.
/// </summary>
public sealed class EventIngestor(IDocumentStore store, TenantDatabases databases, ILogger<EventIngestor> logger)
{
    private const int MaxAttempts = 5;

    public async Task<IngestionOutcome> StoreAsync(IReadOnlyList<ValidEvent> batch, string tenantId, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryStoreAsync(batch, tenantId, ct);
            }
            catch (Exception ex) when (IsTransientConflict(ex) && attempt < MaxAttempts)
            {
                // Two batches touching the same children in another order can deadlock, or race to create
                // the same stream; PostgreSQL aborts one of them, and nothing of it was kept, so run it again.
                logger.LogInformation("Batch of {Count} events retried after a concurrent write ({Attempt}).", batch.Count, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt * Random.Shared.Next(1, 5)), ct);
            }
        }
    }

    private async Task<IngestionOutcome> TryStoreAsync(IReadOnlyList<ValidEvent> batch, string tenantId, CancellationToken ct)
    {
        // The same event twice in one batch is a duplicate; the same key with other content a conflict.
        var distinct = new Dictionary<(string, string), ValidEvent>();
        var inBatchConflicts = new List<ValidEvent>();
        foreach (var e in batch)
        {
            if (!distinct.TryAdd((e.Source, e.Id), e) && !distinct[(e.Source, e.Id)].ContentHash.AsSpan().SequenceEqual(e.ContentHash))
            {
                inBatchConflicts.Add(e);
            }
        }

        if (inBatchConflicts.Count > 0)
        {
            return new IngestionOutcome.Conflict(inBatchConflicts);
        }

        var timings = new StageClock();

        // The tenant's own database: the key claim, the events and the projection's rows commit together there.
        await using var connection = await databases.For(tenantId).OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var begin = timings.Lap();

        await LockChildrenAsync(connection, tx, distinct.Values.Select(e => e.Subject), tenantId, ct);
        var locks = timings.Lap();

        var unknownTargets = await FindUnknownRetractionTargetsAsync(connection, tx, batch, tenantId, ct);
        if (unknownTargets.Count > 0)
        {
            return new IngestionOutcome.UnknownRetractionTargets(unknownTargets);
        }

        var retractionCheck = timings.Lap();

        // Claim keys in one global order so that overlapping batches queue rather than deadlock.
        var ordered = distinct.Values
            .OrderBy(e => e.Source, StringComparer.Ordinal).ThenBy(e => e.Id, StringComparer.Ordinal).ToList();
        var claimed = await ClaimKeysAsync(connection, tx, ordered, tenantId, ct);
        var claim = timings.Lap();

        var held = ordered.Where(e => !claimed.Contains((e.Source, e.Id))).ToList();
        if (held.Count > 0)
        {
            var conflicts = await FindConflictsAsync(connection, tx, held, tenantId, ct);
            if (conflicts.Count > 0)
            {
                return new IngestionOutcome.Conflict(conflicts);
            }
        }

        var fresh = batch.Where(e => claimed.Remove((e.Source, e.Id))).ToList();
        if (fresh.Count > 0)
        {
            var options = Marten.Services.SessionOptions.ForTransaction(tx, false);
            options.TenantId = tenantId;
            await using var session = store.LightweightSession(options);
            foreach (var child in fresh.GroupBy(e => e.Subject).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                session.Events.Append(child.Key, child.Select(e => (object)e.Event).ToArray());
            }

            await session.SaveChangesAsync(ct);
        }

        var save = timings.Lap();
        await tx.CommitAsync(ct);
        var commit = timings.Lap();

        // Where a batch's time goes, when asked for (Debug): the benchmark's profile of ingestion reads these. The
        // projection's share of 'save' is in ChildFactsProjection's own line.
        if (logger.IsEnabled(LogLevel.Debug))
        {
            logger.LogDebug(
                "Ingest timings: {Events} events, {Fresh} new; connection {BeginMs} ms, locks {LockMs} ms, retraction check {RetractionCheckMs} ms, key claim {ClaimMs} ms, append and projection {SaveMs} ms, commit {CommitMs} ms",
                batch.Count, fresh.Count, begin, locks, retractionCheck, claim, save, commit);
        }

        return new IngestionOutcome.Stored(fresh.Count, batch.Count - fresh.Count) { Fresh = fresh };
    }

    /// <summary>
    /// Writers to the same child take turns: Marten's quick append numbers a stream's events optimistically,
    /// so two transactions appending to one child at once would collide. Locks are taken in one global order.
    /// </summary>
    private static async Task LockChildrenAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, IEnumerable<string> children, string tenantId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            select count(pg_advisory_xact_lock(hashtextextended(@tenant || '/' || c.child_id, 0)))
            from (select distinct unnest(@children) as child_id order by 1) c
            """, connection, tx);
        cmd.Parameters.AddWithValue("tenant", tenantId);
        cmd.Parameters.AddWithValue("children", children.Distinct(StringComparer.Ordinal).ToArray());
        await cmd.ExecuteScalarAsync(ct);
    }

    private static async Task<HashSet<(string, string)>> ClaimKeysAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, IReadOnlyList<ValidEvent> events, string tenantId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"""
            insert into {CaseFlowTables.EventKeys} (tenant_id, source, event_id, child_id, type, content_hash)
            select @tenant, k.source, k.event_id, k.child_id, k.type, k.content_hash
            from unnest(@sources, @ids, @children, @types, @hashes) with ordinality
                as k(source, event_id, child_id, type, content_hash, position)
            order by k.position
            on conflict do nothing
            returning source, event_id
            """, connection, tx);
        cmd.Parameters.AddWithValue("tenant", tenantId);
        cmd.Parameters.AddWithValue("sources", events.Select(e => e.Source).ToArray());
        cmd.Parameters.AddWithValue("ids", events.Select(e => e.Id).ToArray());
        cmd.Parameters.AddWithValue("children", events.Select(e => e.Subject).ToArray());
        cmd.Parameters.AddWithValue("types", events.Select(e => e.Type).ToArray());
        cmd.Parameters.AddWithValue("hashes", events.Select(e => e.ContentHash).ToArray());

        var claimed = new HashSet<(string, string)>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            claimed.Add((reader.GetString(0), reader.GetString(1)));
        }

        return claimed;
    }

    private static async Task<List<ValidEvent>> FindConflictsAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, IReadOnlyList<ValidEvent> held, string tenantId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"""
            select k.source, k.event_id, k.content_hash
            from {CaseFlowTables.EventKeys} k
            join unnest(@sources, @ids) as h(source, event_id) using (source, event_id)
            where k.tenant_id = @tenant
            """, connection, tx);
        cmd.Parameters.AddWithValue("tenant", tenantId);
        cmd.Parameters.AddWithValue("sources", held.Select(e => e.Source).ToArray());
        cmd.Parameters.AddWithValue("ids", held.Select(e => e.Id).ToArray());

        var stored = new Dictionary<(string, string), byte[]>();
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                stored[(reader.GetString(0), reader.GetString(1))] = (byte[])reader[2];
            }
        }

        return held.Where(e => !stored[(e.Source, e.Id)].AsSpan().SequenceEqual(e.ContentHash)).ToList();
    }

    private static async Task<List<ValidEvent>> FindUnknownRetractionTargetsAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, IReadOnlyList<ValidEvent> batch, string tenantId, CancellationToken ct)
    {
        var earlierInBatch = new HashSet<(string Source, string Id, string Subject)>();
        var toLookUp = new List<(ValidEvent Retraction, string TargetId)>();
        foreach (var e in batch)
        {
            if (e.Event is EventRetracted r && !earlierInBatch.Contains((e.Source, r.RetractedId, e.Subject)))
            {
                toLookUp.Add((e, r.RetractedId));
            }

            earlierInBatch.Add((e.Source, e.Id, e.Subject));
        }

        if (toLookUp.Count == 0)
        {
            return [];
        }

        await using var cmd = new NpgsqlCommand($"""
            select t.position
            from unnest(@sources, @ids, @children) with ordinality as t(source, event_id, child_id, position)
            where not exists (
                select 1 from {CaseFlowTables.EventKeys} k
                where k.tenant_id = @tenant and k.source = t.source and k.event_id = t.event_id and k.child_id = t.child_id)
            """, connection, tx);
        cmd.Parameters.AddWithValue("tenant", tenantId);
        cmd.Parameters.AddWithValue("sources", toLookUp.Select(x => x.Retraction.Source).ToArray());
        cmd.Parameters.AddWithValue("ids", toLookUp.Select(x => x.TargetId).ToArray());
        cmd.Parameters.AddWithValue("children", toLookUp.Select(x => x.Retraction.Subject).ToArray());

        var unknown = new List<ValidEvent>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            unknown.Add(toLookUp[(int)reader.GetInt64(0) - 1].Retraction);
        }

        return unknown;
    }

    private static bool IsTransientConflict(Exception ex) =>
        ex is JasperFx.ConcurrencyException
        || Unwrap(ex) is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure }
            or PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, TableName: not "event_keys" };

    private static Exception Unwrap(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is PostgresException)
            {
                return e;
            }
        }

        return ex;
    }
}
