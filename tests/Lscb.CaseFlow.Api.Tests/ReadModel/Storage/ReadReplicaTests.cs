using System.Text.Json.Nodes;
using Lscb.CaseFlow.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Lscb.CaseFlow.Api.ReadModel.Storage;

namespace Lscb.CaseFlow.Api.Tests.ReadModel.Storage;

/// <summary>
/// The API on a primary with a streaming replica (<c>ConnectionStrings:CaseFlowReadReplica</c>): the analysts' reads go
/// to the replica when it has replayed what the primary had committed, and to the primary when it has not, so a KPI
/// asked for after a 200 always includes that batch, however far behind the replica is.
/// </summary>
public sealed class ReadReplicaTests(ReadReplicaTests.ReplicatedApp app) : IClassFixture<ReadReplicaTests.ReplicatedApp>
{
    public sealed class ReplicatedApp : CaseFlowApp
    {
        private PostgresServer _primary = null!;

        public PostgresServer Replica { get; private set; } = null!;

        public string ReplicaConnectionString { get; private set; } = null!;

        public TenantDatabases Databases => Host.Services.GetRequiredService<TenantDatabases>();

        protected override async Task<IReadOnlyDictionary<string, string>> MoreSettingsAsync(PostgresServer server)
        {
            _primary = await PostgresServer.StartDedicatedAsync();
            ConnectionString = await _primary.CreateDatabaseAsync("caseflow_primary");
            Replica = await _primary.StartReplicaAsync();
            ReplicaConnectionString = Replica.ConnectionStringFor(new NpgsqlConnectionStringBuilder(ConnectionString).Database!, pooled: false);
            return new Dictionary<string, string> { ["ConnectionStrings:CaseFlowReadReplica"] = ReplicaConnectionString };
        }

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            await Replica.DisposeAsync();
            await _primary.DisposeAsync();
        }
    }

    private const string Window = "/api/kpis?from=2016-04-01&to=2017-03-31";

    [Fact]
    public async Task kpis_are_read_from_the_replica_when_it_has_caught_up_and_from_the_primary_when_it_has_not()
    {
        var before = Contacts(await app.GetJsonAsync(Window));

        // Caught up: the replica answers, and the figures include the batch just acknowledged.
        await app.IngestAsync(Ce.Batch(Ce.Contact(Ce.Subject(), "2016-05-02", "CT-1")));
        var replicaReads = app.Databases.ReplicaReads;
        await WaitUntilReplayedAsync();
        Contacts(await app.GetJsonAsync(Window)).ShouldBe(before + 1);
        app.Databases.ReplicaReads.ShouldBeGreaterThan(replicaReads, "the replica answered");
        (await ReplicaContactsAsync()).ShouldBe(before + 1, "the replica holds the batch");

        // The replica stops replaying (as a lagging replica would): a batch acknowledged now is not on it, and the KPIs
        // asked for at once still include it, from the primary.
        await OnReplicaAsync("select pg_wal_replay_pause()");
        try
        {
            var behind = app.Databases.ReplicaBehindReads;
            await app.IngestAsync(Ce.Batch(Ce.Contact(Ce.Subject(), "2016-05-03", "CT-1"), Ce.Contact(Ce.Subject(), "2016-05-04", "CT-1")));
            Contacts(await app.GetJsonAsync(Window)).ShouldBe(before + 3, "read-your-writes, while the replica is behind");
            (await ReplicaContactsAsync()).ShouldBe(before + 1, "the replica is indeed behind");
            app.Databases.ReplicaBehindReads.ShouldBeGreaterThan(behind);
            var comparison = await app.GetJsonAsync("/api/kpis/comparison?from=2016-04-01&to=2017-03-31");
            comparison["kpis"].ShouldNotBeNull();
        }
        finally
        {
            await OnReplicaAsync("select pg_wal_replay_resume()");
        }

        // Replaying again, it answers again.
        await WaitUntilReplayedAsync();
        replicaReads = app.Databases.ReplicaReads;
        Contacts(await app.GetJsonAsync(Window)).ShouldBe(before + 3);
        app.Databases.ReplicaReads.ShouldBeGreaterThan(replicaReads);
    }

    [Fact]
    public async Task the_replica_refuses_writes_and_every_write_goes_to_the_primary()
    {
        // The replica holds the tables once it has replayed their creation; until then an insert fails for that instead.
        await WaitUntilReplayedAsync();
        await using var connection = new NpgsqlConnection(app.ReplicaConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("insert into caseflow.targets (tenant_id, kpi, target, direction) values ('x', 'x', 1, 'lower')", connection);
        (await Should.ThrowAsync<PostgresException>(() => cmd.ExecuteNonQueryAsync())).SqlState.ShouldBe("25006"); // read-only transaction

        (await app.Client.PutAsync("/api/targets/contacts", JsonContent("""{ "target": 5, "direction": "lower" }"""))).EnsureSuccessStatusCode();
        (await app.GetJsonAsync("/api/targets")).AsArray().ShouldContain(t => t!["key"]!.GetValue<string>() == "contacts");
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    private static long Contacts(JsonNode kpis) => kpis["kpis"]!["contacts"]!["value"]!.GetValue<long>();

    private async Task<long> ReplicaContactsAsync()
    {
        await using var connection = new NpgsqlConnection(app.ReplicaConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "select coalesce(sum(n), 0)::bigint from caseflow.fact_counts where kind = 1 and on_date between '2016-04-01' and '2017-03-31'", connection);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private async Task OnReplicaAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(app.ReplicaConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>Until the replica has replayed everything the primary has inserted into its WAL so far (as the API checks).</summary>
    private async Task WaitUntilReplayedAsync()
    {
        string position;
        await using (var primary = new NpgsqlConnection(app.ConnectionString))
        {
            await primary.OpenAsync();
            await using var cmd = new NpgsqlCommand("select pg_current_wal_insert_lsn()::text", primary);
            position = (string)(await cmd.ExecuteScalarAsync())!;
        }

        await using var replica = new NpgsqlConnection(app.ReplicaConnectionString);
        await replica.OpenAsync();
        for (var i = 0; i < 100; i++)
        {
            await using var cmd = new NpgsqlCommand("select pg_last_wal_replay_lsn() >= @p::pg_lsn", replica);
            cmd.Parameters.AddWithValue("p", position);
            if ((bool)(await cmd.ExecuteScalarAsync())!)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The replica did not catch up within 10 s.");
    }
}
