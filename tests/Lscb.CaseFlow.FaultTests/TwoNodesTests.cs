using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Lscb.CaseFlow.Api.Tests.Infrastructure;
using Lscb.CaseFlow.BrowserTests.Infrastructure;
using Lscb.CaseFlow.FaultTests.Infrastructure;
using Npgsql;

namespace Lscb.CaseFlow.FaultTests;

/// <summary>
/// Two API processes (nodes) started at the same moment on one fresh database, as two replicas behind a load
/// balancer: several clients post overlapping batches to both, every event reaching both nodes more than once, at the
/// same time. Each event is then stored exactly once, every acknowledgement adds up, the projection is consistent with
/// the events, and both nodes give the same answers: with the projection inline, and with it asynchronous, its daemon
/// run by Wolverine on exactly one of the nodes.
/// </summary>
public sealed class TwoNodesTests(ITestOutputHelper output)
{
    private const int Batches = 30;
    private const int ChildrenPerBatch = 40; // four events each: 160 events a batch

    [Theory(Timeout = 300_000)]
    [InlineData("Inline")]
    [InlineData("Async")]
    public async Task two_nodes_ingesting_the_same_events_at_once_store_each_once_and_agree(string projection)
    {
        var seed = Seeds.Next();
        var random = new Random(seed);
        var clock = Stopwatch.StartNew();
        var server = await PostgresServer.SharedAsync();
        var connectionString = await server.CreateDatabaseAsync("twonodes");
        var environment = new Dictionary<string, string>(Workload.Environment) { ["CaseFlow__Projections__Mode"] = projection };
        var store = new StoredEvents(connectionString);
        var keys = Workload.Keys();
        var run = Workload.NewRun();

        // Both nodes start together on the empty database, so both create the schema at once, as replicas do.
        var starting = new[]
        {
            ApiProcess.StartAsync(connectionString, keys, seedDemo: false, environment),
            ApiProcess.StartAsync(connectionString, keys, seedDemo: false, environment),
        };
        await Task.WhenAll(starting.Select(s => s.ContinueWith(_ => { }, TaskScheduler.Default)));
        if (starting.FirstOrDefault(s => !s.IsCompletedSuccessfully) is { } failed)
        {
            foreach (var started in starting.Where(s => s.IsCompletedSuccessfully))
            {
                await (await started).DisposeAsync();
            }

            await failed; // throws why
        }

        await using var nodeA = await starting[0];
        await using var nodeB = await starting[1];
        output.WriteLine($"seed {seed}: nodes up (pids {nodeA.ProcessId}, {nodeB.ProcessId}) in {clock.Elapsed.TotalSeconds:0.0} s");
        if (projection == "Async")
        {
            // A cluster started cold elects its leader, which then places the daemon, within seconds; reads wait for
            // it (up to ReadWaitSeconds), but this test is about the steady state.
            await AsyncProjection.WaitForDaemonsAsync(connectionString, 1);
            output.WriteLine($"daemon assigned at {clock.Elapsed.TotalSeconds:0.0} s");
        }

        using var a = Workload.Client(nodeA, keys, TimeSpan.FromSeconds(120));
        using var b = Workload.Client(nodeB, keys, TimeSpan.FromSeconds(120));

        // Whole batches, and batches straddling two of them (the second half of one, the first half of the next): the
        // same events with the same content, so each is acknowledged as accepted once and as a duplicate otherwise.
        var whole = Enumerable.Range(0, Batches).Select(n => Workload.Make(run, n, ChildrenPerBatch)).ToList();
        var straddling = whole.Zip(whole.Skip(1), (first, second) => Straddle(first, second, Batches + first.Number)).ToList();
        var distinct = whole.Sum(w => w.Count);

        // Four clients: two per node. The two clients of a pair send the same batches in the same order, one to each
        // node, so the same events race on both nodes; the other pair sends the straddling batches in a random order.
        var plans = new (HttpClient Node, IReadOnlyList<Batch> Batches)[]
        {
            (a, whole), (b, whole),
            (a, straddling.OrderBy(_ => random.Next()).ToList()), (b, straddling.OrderBy(_ => random.Next()).ToList()),
        };
        var results = new ConcurrentBag<PostResult>();
        await Task.WhenAll(plans.Select(plan => Task.Run(async () =>
        {
            foreach (var batch in plan.Batches)
            {
                results.Add(await Workload.PostAsync(plan.Node, batch));
            }
        }))).WaitAsync(TimeSpan.FromSeconds(240));
        output.WriteLine($"{results.Count} posts of {results.Sum(r => r.Batch.Count)} events ({distinct} distinct) in {clock.Elapsed.TotalSeconds:0.0} s; "
            + $"{results.Count(r => r.Accepted > 0 && r.Duplicates > 0)} posts were partly new and partly duplicates");

        // Every post acknowledged; each event accepted once over all posts, a duplicate in every other.
        results.Where(r => r.Status != 200).ShouldBeEmpty($"Every post is acknowledged.\n{nodeA.RecentLog}\n{nodeB.RecentLog}");
        results.Where(r => r.Accepted + r.Duplicates != r.Batch.Count).ShouldBeEmpty("accepted + duplicates = the batch");
        results.Sum(r => r.Accepted!.Value).ShouldBe(distinct, "the accepted add up to the distinct events");
        results.Sum(r => r.Duplicates!.Value).ShouldBe(results.Sum(r => r.Batch.Count) - distinct);

        // Exactly once in Marten's event table and in the key table.
        var events = await store.EventIdsAsync();
        events.Count.ShouldBe(distinct);
        events.Where(e => e.Value != 1).ShouldBeEmpty("No event is stored twice.");
        var keyRows = await store.KeyIdsAsync();
        keyRows.Count.ShouldBe(distinct);
        keyRows.Keys.Order(StringComparer.Ordinal).ShouldBe(events.Keys.Order(StringComparer.Ordinal));
        whole.SelectMany(w => w.Ids).Where(id => !events.ContainsKey(id)).ShouldBeEmpty();
        (await StreamsOutOfStepAsync(connectionString)).ShouldBeEmpty("Each stream's versions run 1..n and mt_streams says n.");

        // Both nodes answer the same, and what the stored events say (asynchronously, a read waits for the daemon).
        var expected = await store.KpisAsync();
        expected.Contacts.ShouldBe(Batches * ChildrenPerBatch);
        (await Workload.KpisAsync(a)).ShouldBe(expected);
        (await Workload.KpisAsync(b)).ShouldBe(expected);

        // The projection is consistent: the daily counts count exactly the facts, and there are facts for every child.
        (await store.FactCountDisagreementsAsync()).ShouldBeEmpty("fact_counts must count exactly the rows of child_facts.");
        (await ChildrenWithFactsAsync(connectionString)).ShouldBe(Batches * ChildrenPerBatch);
        if (projection == "Async")
        {
            (await AsyncProjection.DaemonNodesAsync(connectionString)).Count.ShouldBe(1, "Wolverine runs the daemon on one node.");
        }
        foreach (var child in whole.Select(w => w.Children[random.Next(w.Children.Count)]).Take(10))
        {
            var stored = await store.StreamIdsAsync(child);
            stored.Count.ShouldBe(4);
            (await Workload.JourneyIdsAsync(a, child)).ShouldBe(stored);
            (await Workload.JourneyIdsAsync(b, child)).ShouldBe(stored);
        }

        output.WriteLine($"done at {clock.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>The second half of <paramref name="first"/>'s events and the first half of <paramref name="second"/>'s.</summary>
    private static Batch Straddle(Batch first, Batch second, int number)
    {
        var one = JsonNode.Parse(first.Json)!.AsArray();
        var two = JsonNode.Parse(second.Json)!.AsArray();
        var events = one.Skip(one.Count / 2).Concat(two.Take(two.Count / 2)).Select(e => e!.DeepClone()).ToArray();
        var ids = events.Select(e => e["id"]!.GetValue<string>()).ToList();
        var children = events.Select(e => e["subject"]!.GetValue<string>()).Distinct(StringComparer.Ordinal).ToList();
        return new Batch(number, new JsonArray(events).ToJsonString(), ids, children);
    }

    /// <summary>Streams whose event versions are not exactly 1..n, or whose mt_streams version is not n.</summary>
    private static async Task<IReadOnlyList<string>> StreamsOutOfStepAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            select e.stream_id from caseflow.mt_events e join caseflow.mt_streams s on s.id = e.stream_id and s.tenant_id = e.tenant_id
            group by e.stream_id, s.version
            having count(*) <> max(e.version) or count(distinct e.version) <> count(*) or min(e.version) <> 1 or s.version <> count(*)
            limit 20
            """, connection);
        var streams = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            streams.Add(reader.GetString(0));
        }

        return streams;
    }

    private static async Task<long> ChildrenWithFactsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("select count(distinct child_id) from caseflow.child_facts", connection);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
