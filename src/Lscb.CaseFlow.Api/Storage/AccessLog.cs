using Npgsql;

namespace Lscb.CaseFlow.Api;

/// <summary>One look at a child's journey: who, which authority, which child, when, and why if they said.</summary>
public sealed record JourneyRead(long Id, DateTimeOffset ReadAt, string TenantId, string KeyName, string ChildId, DateOnly? AsOf, string? Reason);

/// <summary>
/// The append-only record of every journey read. The database itself refuses to update or delete a row
/// (<see cref="AppendOnlySql"/>), so not even a bug in this service can rewrite it.
/// </summary>
public sealed class AccessLog(TenantDatabases databases)
{
    public const int MaxReasonLength = 500;

    /// <summary>Installed at start, after Marten has created the table.</summary>
    public static readonly string AppendOnlySql = $"""
        create or replace function {CaseFlowTables.Schema}.journey_reads_append_only() returns trigger language plpgsql as $$
        begin
            raise exception 'the journey access log is append-only';
        end $$;
        create or replace trigger journey_reads_append_only
            before update or delete or truncate on {CaseFlowTables.JourneyReads}
            for each statement execute function {CaseFlowTables.Schema}.journey_reads_append_only();
        """;

    public async Task RecordAsync(string tenantId, string keyName, string childId, DateOnly? asOf, string? reason, CancellationToken ct)
    {
        await using var cmd = databases.For(tenantId).CreateCommand($"""
            insert into {CaseFlowTables.JourneyReads} (tenant_id, key_name, child_id, as_of, reason)
            values (@tenant, @key, @child, @as_of, @reason)
            """);
        cmd.Parameters.AddWithValue("tenant", tenantId);
        cmd.Parameters.AddWithValue("key", keyName);
        cmd.Parameters.AddWithValue("child", childId);
        cmd.Parameters.AddWithValue("as_of", (object?)asOf ?? DBNull.Value);
        cmd.Parameters.AddWithValue("reason", (object?)reason ?? DBNull.Value);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<(long Total, IReadOnlyList<JourneyRead> Reads)> ListAsync(
        string tenantId, string? childId, string? keyName, DateOnly? from, DateOnly? to, int limit, int offset, CancellationToken ct)
    {
        await using var cmd = databases.For(tenantId).CreateCommand($"""
            select id, read_at, tenant_id, key_name, child_id, as_of, reason, count(*) over () as total
            from {CaseFlowTables.JourneyReads}
            where tenant_id = @tenant
              and (@child::text is null or child_id = @child)
              and (@key::text is null or key_name = @key)
              and (@from::date is null or read_at >= @from::date)
              and (@to::date is null or read_at < @to::date + 1)
            order by id desc
            limit @limit offset @offset
            """);
        cmd.Parameters.AddWithValue("tenant", tenantId);
        cmd.Parameters.AddWithValue("child", (object?)childId ?? DBNull.Value);
        cmd.Parameters.AddWithValue("key", (object?)keyName ?? DBNull.Value);
        cmd.Parameters.AddWithValue("from", (object?)from ?? DBNull.Value);
        cmd.Parameters.AddWithValue("to", (object?)to ?? DBNull.Value);
        cmd.Parameters.AddWithValue("limit", limit);
        cmd.Parameters.AddWithValue("offset", offset);

        var reads = new List<JourneyRead>();
        long total = 0;
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            reads.Add(new JourneyRead(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.GetString(3),
                reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetFieldValue<DateOnly>(5), reader.IsDBNull(6) ? null : reader.GetString(6)));
            total = reader.GetInt64(7);
        }

        return (total, reads);
    }
}

/// <summary>
/// Installs what Marten's schema management cannot express (the access log's trigger, the facts' previous dates for
/// facts written before they existed), at start, in every database
/// (Marten has created its tables in each of them by then).
/// </summary>
public sealed class SchemaExtras(TenantDatabases databases) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var db in databases.Primaries)
        {
            await using var cmd = db.CreateCommand(AccessLog.AppendOnlySql);
            await cmd.ExecuteNonQueryAsync(cancellationToken);

            // Once per database, and as long as it takes: a large database's facts are all read.
            await using var backfill = db.CreateCommand(PreviousDatesBackfill.Sql);
            backfill.CommandTimeout = 0;
            await backfill.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
