using Lscb.CaseFlow.Reporting;
using Npgsql;
using Lscb.CaseFlow.Api.ReadModel.Storage;
using Lscb.CaseFlow.Api.ReadModel;

namespace Lscb.CaseFlow.Api.Features.Reference;

/// <summary>
/// Local targets per KPI key: the authority's own, and the scorecards' defaults (<see cref="Target.Defaults"/>) where it
/// has set none. Removing its own target puts the default back.
/// </summary>
public sealed class TargetStore(TenantDatabases databases)
{
    /// <summary>A read: from the tenant's replica when it is caught up (<see cref="TenantDatabases.ReadForAsync"/>).</summary>
    public async Task<IReadOnlyDictionary<string, Target>> AllAsync(string tenantId, CancellationToken ct)
    {
        var db = await databases.ReadForAsync(tenantId, ct);
        await using var cmd = db.CreateCommand($"select kpi, target, limit_value, direction from {CaseFlowTables.Targets} where tenant_id = @tenant order by kpi");
        cmd.Parameters.AddWithValue("tenant", tenantId);
        var targets = new Dictionary<string, Target>(Target.Defaults, StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            targets[reader.GetString(0)] = new Target(reader.GetDouble(1), reader.IsDBNull(2) ? null : reader.GetDouble(2),
                Enum.Parse<Direction>(reader.GetString(3), ignoreCase: true));
        }

        return targets;
    }

    public async Task SetAsync(string tenantId, string kpi, Target target, CancellationToken ct)
    {
        await using var cmd = databases.For(tenantId).CreateCommand($"""
            insert into {CaseFlowTables.Targets} (tenant_id, kpi, target, limit_value, direction)
            values (@tenant, @kpi, @target, @limit, @direction)
            on conflict (tenant_id, kpi) do update
                set target = excluded.target, limit_value = excluded.limit_value, direction = excluded.direction
            """);
        cmd.Parameters.AddWithValue("tenant", tenantId);
        cmd.Parameters.AddWithValue("kpi", kpi);
        cmd.Parameters.AddWithValue("target", target.Value);
        cmd.Parameters.AddWithValue("limit", (object?)target.Limit ?? DBNull.Value);
        cmd.Parameters.AddWithValue("direction", target.Direction.ToString().ToLowerInvariant());
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<bool> RemoveAsync(string tenantId, string kpi, CancellationToken ct)
    {
        await using var cmd = databases.For(tenantId).CreateCommand($"delete from {CaseFlowTables.Targets} where tenant_id = @tenant and kpi = @kpi");
        cmd.Parameters.AddWithValue("tenant", tenantId);
        cmd.Parameters.AddWithValue("kpi", kpi);
        return await cmd.ExecuteNonQueryAsync(ct) > 0;
    }
}
