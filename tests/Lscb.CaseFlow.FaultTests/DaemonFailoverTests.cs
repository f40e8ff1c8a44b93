using System.Diagnostics;
using Lscb.CaseFlow.Api.Tests.Infrastructure;
using Lscb.CaseFlow.BrowserTests.Infrastructure;
using Lscb.CaseFlow.FaultTests.Infrastructure;
using Npgsql;

namespace Lscb.CaseFlow.FaultTests;

/// <summary>
/// The asynchronous projection on two nodes: the node running the daemon is killed (SIGKILL) while it projects, and
/// Wolverine's leader hands the daemon to the other node, which goes on from the daemon's last committed page. Nothing is
/// counted twice or left out, and reads on the surviving node are never stale.
/// </summary>
public sealed class DaemonFailoverTests(ITestOutputHelper output)
{
    [Fact(Timeout = 300_000)]
    public async Task killing_the_node_that_runs_the_daemon_moves_it_to_the_other_node_and_nothing_is_lost_or_counted_twice()
    {
        var clock = Stopwatch.StartNew();
        var server = await PostgresServer.SharedAsync();
        var connectionString = await server.CreateDatabaseAsync("failover");
        var store = new StoredEvents(connectionString);
        var keys = Workload.Keys();
        var run = Workload.NewRun();

        // A dead node is noticed once its heartbeat is StaleNodeSeconds old (10); reads wait long enough to see it through.
        var environment = new Dictionary<string, string>(Workload.Environment)
        {
            ["CaseFlow__Projections__Mode"] = "Async",
            ["CaseFlow__Projections__ReadWaitSeconds"] = "90",
        };

        // The first node elects itself leader and runs the daemon; then the second joins the cluster.
        await using var first = await ApiProcess.StartAsync(connectionString, keys, seedDemo: false, environment);
        var firstNode = (await AsyncProjection.WaitForDaemonsAsync(connectionString, 1)).Single();
        await using var second = await ApiProcess.StartAsync(connectionString, keys, seedDemo: false, environment);
        while (await NodesAsync(connectionString) < 2)
        {
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(120), "The second node joins the cluster.");
            await Task.Delay(100);
        }

        // Keep posting (any node ingests), and kill the node running the daemon once it is part way through what was
        // acknowledged: which node that is, is read at that moment, as the leader may have moved it meanwhile.
        using var toFirst = Workload.Client(first, keys, TimeSpan.FromSeconds(60));
        var batches = Enumerable.Range(0, 40).Select(n => Workload.Make(run, n, 40)).ToList();
        var sent = 0;
        using var stop = new CancellationTokenSource();
        var posting = Task.Run(async () =>
        {
            foreach (var batch in batches.TakeWhile(_ => !stop.IsCancellationRequested))
            {
                Interlocked.Increment(ref sent);
                await Workload.PostAsync(toFirst, batch, stop.Token);
            }
        });
        var (committed, projected) = (0L, 0L);
        while (projected == 0 || projected >= committed)
        {
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(120), "The daemon starts projecting.");
            (committed, projected) = await ProgressAsync(connectionString);
        }

        var holder = (await AsyncProjection.DaemonNodesAsync(connectionString)).Single();
        var (doomed, survivor) = holder == firstNode ? (first, second) : (second, first);
        await doomed.KillAsync();
        await stop.CancelAsync();
        try
        {
            await posting.WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException)
        {
            // The post in flight when it stopped, abandoned (or refused by the killed node after the stop): it is sent
            // again to the survivor below.
        }

        output.WriteLine($"killed the {(doomed == first ? "first" : "second")} process, which ran the daemon, at {clock.Elapsed.TotalSeconds:0.0} s "
            + $"with the daemon at event {projected} of {committed}, {sent} batches sent");
        using var toSurvivor = Workload.Client(survivor, keys, TimeSpan.FromSeconds(120));

        // A client whose batch got no answer sends it again, here to the survivor, which also takes every new batch at
        // once (ingestion never needed the daemon); its reads include them all as soon as it runs the daemon.
        foreach (var batch in batches)
        {
            (await Workload.PostAsync(toSurvivor, batch)).Status.ShouldBe(200);
        }

        var killedAt = clock.Elapsed;
        var figures = await Workload.KpisAsync(toSurvivor);
        output.WriteLine($"the survivor's first read answered {(clock.Elapsed - killedAt).TotalSeconds:0.0} s after the last post");

        var expected = await store.KpisAsync();
        expected.Contacts.ShouldBe(batches.Count * 40);
        figures.ShouldBe(expected);
        (await store.FactCountDisagreementsAsync()).ShouldBeEmpty("fact_counts must count exactly the rows of child_facts.");
        (await AsyncProjection.DaemonNodesAsync(connectionString)).Single().ShouldNotBe(holder, "the daemon moved to the survivor");
        var (finalCommitted, finalProjected) = await ProgressAsync(connectionString);
        finalProjected.ShouldBeGreaterThanOrEqualTo(finalCommitted);
    }

    private static async Task<long> NodesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("select count(*) from caseflow.wolverine_nodes", connection);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private static async Task<(long Committed, long Projected)> ProgressAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            select (select coalesce(max(seq_id), 0) from caseflow.mt_events),
                   (select coalesce(max(last_seq_id), 0) from caseflow.mt_event_progression where name = 'child-facts:All')
            """, connection);
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
