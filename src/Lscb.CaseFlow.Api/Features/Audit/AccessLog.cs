using Npgsql;
using Lscb.CaseFlow.Api.ReadModel.Storage;
using Lscb.CaseFlow.Api.ReadModel;

namespace Lscb.CaseFlow.Api.Features.Audit;

/// <summary>
/// One look at a child: who (the caller's stable id, <see cref="Security.Caller.Id"/>, and its display name), which
/// authority, what was read (<see cref="AccessLog.Journey"/> or <see cref="AccessLog.DataQuality"/>), which child, when,
/// and why if they said. <c>CallerId</c> is null on reads recorded before callers had one.
/// </summary>
public sealed record JourneyRead(
    long Id, DateTimeOffset ReadAt, string TenantId, string? CallerId, string KeyName, string Read, string ChildId, DateOnly? AsOf, string? Reason);

/// <summary>
/// The append-only record of every read that names a child: a journey, a child's data-quality findings, and each child
/// a listing of findings names. The database itself refuses to update, delete or truncate a row
/// (<see cref="JourneyReadsSchema.AppendOnly"/>), so not even a bug in this service can rewrite it; run under a role that owns nothing
/// (deploy/README.md), not even the service can take that trigger away.
/// </summary>
public sealed class AccessLog(TenantDatabases databases)
{
    public const int MaxReasonLength = 500;

    /// <summary>What a read was of.</summary>
    public const string Journey = JourneyReadsSchema.Journey;

    public const string DataQuality = JourneyReadsSchema.DataQuality;

    public const string Cohort = JourneyReadsSchema.Cohort;

    /// <summary>Records that <paramref name="caller"/> read <paramref name="what"/> of each child, one row each, before it is shown.</summary>
    public async Task RecordAsync(
        string tenantId, (string Id, string Name) caller, string what, IReadOnlyCollection<string> childIds, DateOnly? asOf, string? reason,
        CancellationToken ct)
    {
        if (childIds.Count == 0)
        {
            return;
        }

        await using var cmd = databases.For(tenantId).CreateCommand($"""
            insert into {CaseFlowTables.JourneyReads} (tenant_id, caller_id, key_name, read_kind, child_id, as_of, reason)
            select @tenant, @caller, @name, @what, child, @as_of, @reason from unnest(@children) with ordinality as c(child, n) order by n
            """);
        cmd.Parameters.AddWithValue("tenant", tenantId);
        cmd.Parameters.AddWithValue("caller", caller.Id);
        cmd.Parameters.AddWithValue("name", caller.Name);
        cmd.Parameters.AddWithValue("what", what);
        cmd.Parameters.AddWithValue("children", childIds.ToArray());
        cmd.Parameters.AddWithValue("as_of", (object?)asOf ?? DBNull.Value);
        cmd.Parameters.AddWithValue("reason", (object?)reason ?? DBNull.Value);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public sealed record Filter(string? ChildId, string? KeyName, string? CallerId, string? Read, DateOnly? From, DateOnly? To);

    public async Task<(long Total, IReadOnlyList<JourneyRead> Reads)> ListAsync(string tenantId, Filter filter, int limit, int offset, CancellationToken ct)
    {
        await using var cmd = databases.For(tenantId).CreateCommand($"""
            select id, read_at, tenant_id, caller_id, key_name, read_kind, child_id, as_of, reason, count(*) over () as total
            from {CaseFlowTables.JourneyReads}
            where tenant_id = @tenant
              and (@child::text is null or child_id = @child)
              and (@key::text is null or key_name = @key)
              and (@caller::text is null or caller_id = @caller)
              and (@what::text is null or read_kind = @what)
              and (@from::date is null or read_at >= @from::date)
              and (@to::date is null or read_at < @to::date + 1)
            order by id desc
            limit @limit offset @offset
            """);
        cmd.Parameters.AddWithValue("tenant", tenantId);
        cmd.Parameters.AddWithValue("child", (object?)filter.ChildId ?? DBNull.Value);
        cmd.Parameters.AddWithValue("key", (object?)filter.KeyName ?? DBNull.Value);
        cmd.Parameters.AddWithValue("caller", (object?)filter.CallerId ?? DBNull.Value);
        cmd.Parameters.AddWithValue("what", (object?)filter.Read ?? DBNull.Value);
        cmd.Parameters.AddWithValue("from", (object?)filter.From ?? DBNull.Value);
        cmd.Parameters.AddWithValue("to", (object?)filter.To ?? DBNull.Value);
        cmd.Parameters.AddWithValue("limit", limit);
        cmd.Parameters.AddWithValue("offset", offset);

        var reads = new List<JourneyRead>();
        long total = 0;
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            reads.Add(new JourneyRead(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetFieldValue<DateOnly>(7), reader.IsDBNull(8) ? null : reader.GetString(8)));
            total = reader.GetInt64(9);
        }

        return (total, reads);
    }
}
