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

        // The first node elects itself leader and runs the daemon; then the second joins.
        await using var first = await ApiProcess.StartAsync(connectionString, keys, seedDemo: false, environment);
        var holder = await WaitForDaemonAsync(connectionString, TimeSpan.FromSeconds(60));
        await using var second = await ApiProcess.StartAsync(connectionString, keys, seedDemo: false, environment);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var stillHolder = (await TwoNodesTests.DaemonAssignmentsAsync(connectionString)).Single();
        var (doomed, survivor) = stillHolder == holder ? (first, second) : (second, first);
        output.WriteLine($"daemon on node {stillHolder} (the {(stillHolder == holder ? "first" : "second")} process) after {clock.Elapsed.TotalSeconds:0.0} s");

        using var toDoomed = Workload.Client(doomed, keys, TimeSpan.FromSeconds(60));
        using var toSurvivor = Workload.Client(survivor, keys, TimeSpan.FromSeconds(120));

        // Keep posting to the daemon's node, and kill it once its daemon is part way through what was acknowledged.
        var batches = Enumerable.Range(0, 40).Select(n => Workload.Make(run, n, 40)).ToList();
        var sent = new List<Batch>();
        using var stop = new CancellationTokenSource();
        var posting = Task.Run(async () =>
        {
            foreach (var batch in batches)
            {
                if (stop.IsCancellationRequested)
                {
                    break;
                }

                sent.Add(batch);
                await Workload.PostAsync(toDoomed, batch, stop.Token);
            }
        });
        var (committed, projected) = (0L, 0L);
        while (projected == 0 || projected >= committed)
        {
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(120), "The daemon starts projecting.");
            (committed, projected) = await ProgressAsync(connectionString);
        }

        await doomed.KillAsync();
        await stop.CancelAsync();
        try
        {
            await posting.WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (OperationCanceledException)
        {
            // The post in flight when the node died, abandoned: it is sent again to the survivor below.
        }
        output.WriteLine($"killed at {clock.Elapsed.TotalSeconds:0.0} s with the daemon at event {projected} of {committed}, {sent.Count} batches sent");

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
        (await TwoNodesTests.DaemonAssignmentsAsync(connectionString)).Single().ShouldNotBe(stillHolder, "the daemon moved to the survivor");
        var (finalCommitted, finalProjected) = await ProgressAsync(connectionString);
        finalProjected.ShouldBeGreaterThanOrEqualTo(finalCommitted);
    }

    public static async Task<Guid> WaitForDaemonAsync(string connectionString, TimeSpan limit)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if ((await TwoNodesTests.DaemonAssignmentsAsync(connectionString)) is [var node])
            {
                return node;
            }

            waited.Elapsed.ShouldBeLessThan(limit, "Wolverine assigns the daemon to a node.");
            await Task.Delay(200);
        }
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
