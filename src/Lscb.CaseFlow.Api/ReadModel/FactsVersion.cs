using Lscb.CaseFlow.Api.ReadModel.Storage;
using Npgsql;

namespace Lscb.CaseFlow.Api.ReadModel;

/// <summary>
/// Which derivation of the facts each database's rows were written by (<see cref="FactsWriter.Version"/>), so that a
/// release that derives new facts (a new KPI's) makes every child's facts again rather than only those of children
/// whose streams change. Checked at start, before the service answers: with the projection inline the facts are
/// rebuilt there and then (<see cref="FactsRebuild"/>), one node at a time; with it in the daemon, which could write
/// beside a rebuild, the operator is told to run <c>facts-rebuild</c> with the daemons stopped (docs/event-flow.md).
/// </summary>
public sealed class FactsVersion(IServiceProvider services, TenantDatabases databases, ILogger<FactsVersion> logger)
    : IHostedService
{
    public const string Table = CaseFlowTables.Schema + ".facts_version";

    private const string LockKey = Table;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var db in databases.Primaries)
        {
            await UpgradeAsync(db, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Records that a database's facts are those of this version (after a full rebuild, or on an empty store).</summary>
    public static async Task MarkCurrentAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var mark = new NpgsqlCommand($"""
            insert into {Table} (id, version, written_at) values (1, @version, now())
            on conflict (id) do update set version = excluded.version, written_at = excluded.written_at
            """, connection);
        mark.Parameters.AddWithValue("version", FactsWriter.Version);
        await mark.ExecuteNonQueryAsync(ct);
    }

    private async Task UpgradeAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        if (await StoredVersionAsync(connection, ct) == FactsWriter.Version)
        {
            return;
        }

        // One node at a time; the others find the version current once they hold the lock.
        await using (var take = new NpgsqlCommand($"select pg_advisory_lock(hashtextextended('{LockKey}', 0))", connection))
        {
            await take.ExecuteNonQueryAsync(ct);
        }

        try
        {
            var stored = await StoredVersionAsync(connection, ct);
            if (stored == FactsWriter.Version)
            {
                return;
            }

            var tenants = await TenantsAsync(connection, ct);
            if (tenants.Count > 0 && databases.Projections.Async)
            {
                logger.LogWarning(
                    "The facts in {Database} were derived by version {Stored} and this release derives version {Current}: run facts-rebuild with the projection daemons stopped, or the new measures count only children whose events change.",
                    connection.Database, stored?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "1", FactsWriter.Version);
                return;
            }

            var rebuild = ActivatorUtilities.CreateInstance<FactsRebuild>(services);
            foreach (var tenant in tenants)
            {
                var outcome = await rebuild.RebuildAsync(tenant, ct);
                logger.LogInformation("Facts of {Tenant} derived again for version {Version}: {Children} children.", tenant, FactsWriter.Version, outcome.Children);
            }

            await MarkCurrentAsync(connection, ct);
        }
        finally
        {
            await using var release = new NpgsqlCommand($"select pg_advisory_unlock(hashtextextended('{LockKey}', 0))", connection);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    private static async Task<int?> StoredVersionAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var read = new NpgsqlCommand($"select version from {Table} where id = 1", connection);
        return await read.ExecuteScalarAsync(ct) is int version ? version : null;
    }

    private static async Task<List<string>> TenantsAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var read = new NpgsqlCommand($"select distinct tenant_id from {CaseFlowTables.Schema}.mt_streams order by 1", connection);
        var tenants = new List<string>();
        await using var reader = await read.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            tenants.Add(reader.GetString(0));
        }

        return tenants;
    }
}
