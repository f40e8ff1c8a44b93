using Lscb.CaseFlow.Api.Host;
using JasperFx.MultiTenancy;
using Lscb.CaseFlow.Api.Host.Security;
using Marten;
using Npgsql;
using Weasel.Postgresql.Connections;
using Lscb.CaseFlow.Api.ReadModel;

namespace Lscb.CaseFlow.Api.ReadModel.Storage;

/// <summary>
/// Which PostgreSQL database holds each local authority (tenant), read from configuration once at start:
/// <list type="bullet">
/// <item><c>ConnectionStrings:CaseFlow</c>: the default database. With nothing else configured it holds every authority,
/// in Marten's conjoined tenancy (a <c>tenant_id</c> in every table), as it always has.</item>
/// <item><c>CaseFlow:Tenancy:Databases:&lt;tenantId&gt;</c> = a connection string: that authority's own database, on any
/// server. Several authorities may name the same connection string and then share that database (conjoined within
/// it). Marten's static multi-database tenancy (<see cref="StoreOptions.MultiTenantedDatabases"/>) is given the same
/// map, so its sessions and every raw-SQL path of this service meet in the same database.</item>
/// <item>Every other authority known at start stays in the default database: the default tenant, the tenants of the
/// configured API keys, and <c>CaseFlow:Tenancy:DefaultDatabaseTenants:N</c> (authorities that only sign in with a
/// JWT). Marten's static tenancy refuses an authority it was not told of; so does <see cref="For"/>.</item>
/// <item><c>ConnectionStrings:CaseFlowReadReplica</c> (and <c>CaseFlow:Tenancy:ReadReplicas:&lt;tenantId&gt;</c> for an
/// authority with its own database): a streaming replica that the analysts' read-only queries use
/// (<see cref="ReadFor"/>). It lags its primary, so nothing that promises read-your-writes reads from it.</item>
/// </list>
/// One <see cref="NpgsqlDataSource"/> (one pool) per distinct connection string, which Marten's sessions share: this is
/// Marten's data source factory too, so a pool cleared after an outage is cleared for both.
/// </summary>
public sealed class TenantDatabases : INpgsqlDataSourceFactory, IAsyncDisposable
{
    public const string DefaultDatabaseId = "caseflow-default";

    private readonly Dictionary<string, NpgsqlDataSource> _byTenant;
    private readonly Dictionary<string, NpgsqlDataSource> _readByTenant;
    private readonly Dictionary<string, NpgsqlDataSource> _pools = new(StringComparer.Ordinal);

    private TenantDatabases(TenancyLayout layout, ProjectionSettings projections)
    {
        Layout = layout;
        Projections = projections;
        Default = Pool(layout.DefaultConnectionString);
        _byTenant = layout.Databases.ToDictionary(d => d.Key, d => Pool(d.Value), StringComparer.Ordinal);
        foreach (var tenant in layout.DefaultDatabaseTenants)
        {
            _byTenant.TryAdd(tenant, Default);
        }

        Primaries = _pools.Values.ToList();
        _readByTenant = new Dictionary<string, NpgsqlDataSource>(StringComparer.Ordinal);
        foreach (var (tenant, primary) in _byTenant)
        {
            var replica = layout.ReadReplicas.GetValueOrDefault(tenant)
                ?? (ReferenceEquals(primary, Default) ? layout.DefaultReadReplica : null);
            _readByTenant[tenant] = replica is null ? primary : Pool(replica);
        }
    }

    public TenancyLayout Layout { get; }

    /// <summary>Whether the projection runs inline or asynchronously, and how long a read waits for it.</summary>
    public ProjectionSettings Projections { get; }

    /// <summary>The default database (<c>ConnectionStrings:CaseFlow</c>).</summary>
    public NpgsqlDataSource Default { get; }

    /// <summary>Every primary database, the default one first: where the schema is created, and what <c>/health</c> asks.</summary>
    public IReadOnlyList<NpgsqlDataSource> Primaries { get; }

    /// <summary>Whether any authority has a database of its own.</summary>
    public bool IsMultiDatabase => Layout.Databases.Count > 0;

    public static TenantDatabases FromConfiguration(IConfiguration configuration) =>
        new(TenancyLayout.From(configuration), ProjectionSettings.From(configuration));

    /// <summary>
    /// The primary database holding <paramref name="tenantId"/>: every write, and every read that must see the caller's
    /// own writes. In the single-database mode, the default database for any tenant.
    /// </summary>
    /// <exception cref="UnknownTenantIdException">With databases per tenant, for an authority that was not configured.</exception>
    public NpgsqlDataSource For(string tenantId) =>
        !IsMultiDatabase ? Default
        : _byTenant.TryGetValue(tenantId, out var source) ? source
        : throw new UnknownTenantIdException(tenantId);

    /// <summary>How many reads <see cref="ReadForAsync"/> sent to a replica, and how many to the primary although a replica is configured.</summary>
    public long ReplicaReads => Interlocked.Read(ref _replicaReads);

    public long ReplicaBehindReads => Interlocked.Read(ref _replicaBehindReads);

    private long _replicaReads;
    private long _replicaBehindReads;

    /// <summary>
    /// Where the reads of what the projection writes go (KPIs, series, comparisons, pathway, hypothesis, board report,
    /// targets, data-quality findings), once the projection includes every event committed when the call came:
    /// <list type="number">
    /// <item>With the asynchronous projection (<see cref="ProjectionSettings.Async"/>), first wait until the tenant
    /// database's <c>child-facts</c> progression has passed the highest event sequence committed there when asked, up to
    /// <see cref="ProjectionSettings.ReadWait"/> (else <see cref="ProjectionBehindException"/>: a 503). Inline, every
    /// acknowledged batch's facts committed with it, so there is nothing to wait for.</item>
    /// <item>Then the tenant's read replica when one is configured <em>and</em> it has replayed the primary's write-ahead
    /// log up to the primary's insert position, else the primary. Every commit acknowledged before the call (events and
    /// projected rows alike) is at or before that position.</item>
    /// </list>
    /// So a caller always reads its own writes: a lagging replica costs load on the primary, a lagging projection a
    /// wait, never a stale figure. The checks are one-row queries; an unreachable replica falls back to the primary.
    /// </summary>
    public async ValueTask<NpgsqlDataSource> ReadForAsync(string tenantId, CancellationToken ct)
    {
        var primary = For(tenantId);
        if (Projections.Async)
        {
            await WaitForProjectionAsync(primary, ct);
        }

        var replica = IsMultiDatabase ? _readByTenant[tenantId] : _readByTenant.GetValueOrDefault(TenantIds.Default) ?? primary;
        if (ReferenceEquals(replica, primary))
        {
            return primary;
        }

        // The insert position, not the write position: with asynchronous commit an acknowledged commit's record may not
        // be written out yet, and the replica could pass the write position without it.
        string position;
        await using (var cmd = primary.CreateCommand("select pg_current_wal_insert_lsn()::text"))
        {
            position = (string)(await cmd.ExecuteScalarAsync(ct))!;
        }

        try
        {
            await using var cmd = replica.CreateCommand("select coalesce(pg_last_wal_replay_lsn() >= @position::pg_lsn, false)");
            cmd.Parameters.AddWithValue("position", position);
            if ((bool)(await cmd.ExecuteScalarAsync(ct))!)
            {
                Interlocked.Increment(ref _replicaReads);
                return replica;
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            // The replica is away: the primary answers.
        }

        Interlocked.Increment(ref _replicaBehindReads);
        return primary;
    }

    /// <summary>The highest event sequence committed in <paramref name="primary"/>, and how far the projection has come.</summary>
    private static async Task<(long Committed, long Projected)> ProjectionProgressAsync(NpgsqlDataSource primary, CancellationToken ct)
    {
        await using var cmd = primary.CreateCommand($"""
            select (select coalesce(max(seq_id), 0) from {CaseFlowTables.Schema}.mt_events),
                   ({ProjectedSql})
            """);
        cmd.Parameters.AddWithValue("shard", ChildFactsProjection.ShardName);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private const string ProjectedSql =
        $"select coalesce(max(last_seq_id), 0) from {CaseFlowTables.Schema}.mt_event_progression where name = @shard";

    private async Task WaitForProjectionAsync(NpgsqlDataSource primary, CancellationToken ct)
    {
        // The target is fixed when the request comes: events committed while waiting are not waited for, so a steady
        // stream of writes cannot hold a read back.
        var (wanted, reached) = await ProjectionProgressAsync(primary, ct);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var pause = TimeSpan.FromMilliseconds(5);
        while (reached < wanted)
        {
            if (waited.Elapsed >= Projections.ReadWait)
            {
                throw new ProjectionBehindException(wanted, reached);
            }

            await Task.Delay(pause, ct);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromMilliseconds(100).Ticks));
            await using var cmd = primary.CreateCommand(ProjectedSql);
            cmd.Parameters.AddWithValue("shard", ChildFactsProjection.ShardName);
            reached = (long)(await cmd.ExecuteScalarAsync(ct))!;
        }
    }

    /// <summary>The pool for a connection string: Marten asks for its databases' pools here.</summary>
    public NpgsqlDataSource Create(string connectionString) => Pool(connectionString);

    /// <summary>The pools are this class's to dispose, not Marten's.</summary>
    public bool OwnsDataSource(NpgsqlDataSource dataSource) => false;

    private NpgsqlDataSource Pool(string connectionString)
    {
        lock (_pools)
        {
            if (!_pools.TryGetValue(connectionString, out var pool))
            {
                _pools[connectionString] = pool = NpgsqlDataSource.Create(connectionString);
            }

            return pool;
        }
    }

    /// <summary>Marten's static multi-database tenancy, with exactly this map and these pools.</summary>
    public void ConfigureMarten(StoreOptions opts)
    {
        opts.DataSourceFactory(this, Layout.DefaultConnectionString);
        opts.MultiTenantedDatabases(tenancy =>
        {
            tenancy.AddMultipleTenantDatabase(Layout.DefaultConnectionString, DefaultDatabaseId)
                .ForTenants([.. Layout.DefaultDatabaseTenants])
                .AsDefault();
            var index = 0;
            foreach (var group in Layout.Databases.GroupBy(d => d.Value, StringComparer.Ordinal))
            {
                tenancy.AddMultipleTenantDatabase(group.Key, $"caseflow-{index++}").ForTenants([.. group.Select(d => d.Key)]);
            }
        });

        // Database-per-tenant turns off sessions for Marten's default tenant; here it is an authority like any other
        // (keys without a tenant, the demo data), mapped to the default database above.
        opts.Advanced.DefaultTenantUsageEnabled = true;
    }

    /// <summary>Drops every pooled connection, after the database went away: they are dead.</summary>
    public void ClearPools()
    {
        foreach (var source in Snapshot())
        {
            source.Clear();
        }
    }

    private List<NpgsqlDataSource> Snapshot()
    {
        lock (_pools)
        {
            return [.. _pools.Values];
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var source in Snapshot())
        {
            await source.DisposeAsync();
        }
    }
}

/// <summary>The configured map of authorities to databases (<see cref="TenantDatabases"/>).</summary>
public sealed record TenancyLayout(
    string DefaultConnectionString,
    IReadOnlyDictionary<string, string> Databases,
    IReadOnlyList<string> DefaultDatabaseTenants,
    string? DefaultReadReplica,
    IReadOnlyDictionary<string, string> ReadReplicas)
{
    public static TenancyLayout From(IConfiguration configuration)
    {
        var defaultConnectionString = configuration.GetConnectionString("CaseFlow")
            ?? throw new InvalidOperationException(
                "Set the PostgreSQL connection string ConnectionStrings:CaseFlow (environment: ConnectionStrings__CaseFlow).");

        // An authority whose database is the default one is simply one of the default database's tenants.
        var databases = Section(configuration, "CaseFlow:Tenancy:Databases");
        var inDefault = databases.Where(d => d.Value == defaultConnectionString).Select(d => d.Key).ToList();
        foreach (var tenant in inDefault)
        {
            databases.Remove(tenant);
        }

        var keyTenants = configuration.GetSection("CaseFlow:ApiKeys").Get<List<ApiKey>>()?
            .Select(k => k.Tenant?.Trim()).OfType<string>().Where(t => t.Length > 0) ?? [];
        var named = configuration.GetSection("CaseFlow:Tenancy:DefaultDatabaseTenants").Get<string[]>() ?? [];
        var shared = new[] { TenantIds.Default }.Concat(keyTenants).Concat(named.Select(t => t.Trim())).Concat(inDefault)
            .Where(t => t.Length > 0 && !databases.ContainsKey(t))
            .Distinct(StringComparer.Ordinal).ToList();

        return new TenancyLayout(defaultConnectionString, databases, shared,
            configuration.GetConnectionString("CaseFlowReadReplica") is { Length: > 0 } replica ? replica : null,
            Section(configuration, "CaseFlow:Tenancy:ReadReplicas"));
    }

    private static Dictionary<string, string> Section(IConfiguration configuration, string path) =>
        configuration.GetSection(path).GetChildren()
            .Where(c => !string.IsNullOrWhiteSpace(c.Value))
            .ToDictionary(c => c.Key.Trim(), c => c.Value!.Trim(), StringComparer.Ordinal);
}
