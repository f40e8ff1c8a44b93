using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Lscb.CaseFlow.Api.Tests.Infrastructure;
using Lscb.CaseFlow.BrowserTests.Infrastructure;
using Lscb.CaseFlow.FaultTests.Infrastructure;

namespace Lscb.CaseFlow.FaultTests;

/// <summary>
/// PostgreSQL stopped (<c>pg_ctl stop -m fast</c>) and started again under a steady posting load: meanwhile every
/// endpoint answers 503 with <c>Retry-After</c>, quickly; afterwards the service is healthy again by itself, and
/// every batch, re-sent until acknowledged, is stored exactly once.
/// </summary>
public sealed class OutageTests(ITestOutputHelper output)
{
    private const int Clients = 3;
    private const int ChildrenPerBatch = 5; // four events each: 20 events a batch
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(4);

    private enum Phase
    {
        Up,
        Down,
        Restarting,
        Recovered,
    }

    [Fact(Timeout = 240_000)]
    public async Task while_the_database_is_down_requests_get_503_and_the_service_recovers_losing_nothing()
    {
        var clock = Stopwatch.StartNew();
        await using var server = await PostgresServer.StartDedicatedAsync();
        var connectionString = await server.CreateDatabaseAsync("outage");
        var store = new StoredEvents(connectionString);
        var keys = Workload.Keys();
        var run = Workload.NewRun();
        await using var api = await ApiProcess.StartAsync(connectionString, keys, seedDemo: false, Workload.Environment);
        using var client = Workload.Client(api, keys, TimeSpan.FromSeconds(30));
        output.WriteLine($"cluster and API up in {clock.Elapsed.TotalSeconds:0.0} s");

        // The load: each client makes a batch and sends it until it is acknowledged, then makes the next.
        var phase = (int)Phase.Up;
        var posts = new ConcurrentQueue<(PostResult Result, Phase Phase)>();
        var batches = new ConcurrentDictionary<int, Batch>();
        var acknowledged = new ConcurrentDictionary<int, PostResult>();
        var next = -1;
        using var stop = new CancellationTokenSource();
        var load = Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var batch = Workload.Make(run, Interlocked.Increment(ref next), ChildrenPerBatch);
                batches[batch.Number] = batch;
                var giveUp = Stopwatch.StartNew();
                while (giveUp.Elapsed < TimeSpan.FromSeconds(90))
                {
                    var result = await Workload.PostAsync(client, batch);
                    posts.Enqueue((result, (Phase)Volatile.Read(ref phase)));
                    if (result.Status == 200)
                    {
                        acknowledged[batch.Number] = result;
                        break;
                    }

                    // A producer waits Retry-After (5 s); this one is impatient, to keep the test short.
                    await Task.Delay(TimeSpan.FromMilliseconds(300));
                }
            }
        })));

        async Task UntilAcknowledged(int count, string when)
        {
            var waited = Stopwatch.StartNew();
            while (acknowledged.Count < count)
            {
                waited.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(60), $"{count} batches acknowledged {when}; got {acknowledged.Count}.\n{api.RecentLog}");
                load.IsCompleted.ShouldBeFalse();
                await Task.Delay(50);
            }
        }

        await UntilAcknowledged(5, "before the outage");

        // The outage.
        Volatile.Write(ref phase, (int)Phase.Down);
        await server.StopAsync();
        var stoppedAt = clock.Elapsed;
        output.WriteLine($"PostgreSQL stopped at {stoppedAt.TotalSeconds:0.0} s, {acknowledged.Count} batches acknowledged");

        var probes = new List<(string What, int Status, TimeSpan Took, string? RetryAfter, string? MediaType)>();
        var outage = Stopwatch.StartNew();
        while (outage.Elapsed < Outage || !posts.Any(p => p.Phase == Phase.Down && p.Result.Status == 503))
        {
            outage.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(20), "No post met the outage.");
            probes.Add(await ProbeAsync(client, "/health"));
            probes.Add(await ProbeAsync(client, "/api/kpis?from=2018-01-01&to=2019-12-31"));
            probes.Add(await ProbeAsync(client, $"/api/children/{run}B000C00/journey"));
            probes.Add(await ProbeAsync(client, "/api/data-quality"));
            await Task.Delay(250);
        }

        // The service comes back by itself: nothing but the database is touched.
        Volatile.Write(ref phase, (int)Phase.Restarting);
        await server.StartAsync();
        var startedAt = clock.Elapsed;
        var healthy = Stopwatch.StartNew();
        while (true)
        {
            var health = await ProbeAsync(client, "/health");
            if (health.Status == 200)
            {
                break;
            }

            probes.Add(health);
            healthy.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30), $"/health is not 200 again 30 s after PostgreSQL started.\n{api.RecentLog}");
            await Task.Delay(250);
        }

        Volatile.Write(ref phase, (int)Phase.Recovered);
        var recoveredAt = acknowledged.Count;
        output.WriteLine($"PostgreSQL started at {startedAt.TotalSeconds:0.0} s ({(startedAt - stoppedAt).TotalSeconds:0.0} s down); /health 200 after {healthy.Elapsed.TotalMilliseconds:0} ms more");
        await UntilAcknowledged(recoveredAt + 5, "after the recovery");
        await stop.CancelAsync();
        await load.WaitAsync(TimeSpan.FromSeconds(120));

        // Every answer in time; nothing but 200 or 503, and every 503 a problem with Retry-After.
        var all = posts.ToList();
        var phases = all.GroupBy(p => p.Phase).OrderBy(g => g.Key)
            .Select(g => $"{g.Key}: {string.Join(", ", g.GroupBy(p => p.Result.Status).OrderBy(s => s.Key).Select(s => $"{s.Count()}× {s.Key}"))}");
        output.WriteLine($"{batches.Count} batches in {all.Count} posts; {string.Join("; ", phases)}");
        output.WriteLine($"probes while down: {string.Join(", ", probes.GroupBy(p => (p.What.Split('?')[0], p.Status)).Select(g => $"{g.Count()}× {g.Key.Item2} {g.Key.Item1}"))}");
        all.Where(p => p.Result.Status is not (200 or 503) || p.Result.Took > Patience)
            .Select(p => $"{p.Phase}: {p.Result}").ShouldBeEmpty($"Every post is answered 200 or 503, within 10 s.\n{api.RecentLog}");
        all.Where(p => p.Result.Status == 503 && (p.Result.RetryAfter is null || p.Result.MediaType != "application/problem+json"))
            .Select(p => $"{p.Phase}: {p.Result} Retry-After {p.Result.RetryAfter} {p.Result.MediaType}").ShouldBeEmpty();
        all.Count(p => p.Phase == Phase.Down && p.Result.Status == 503).ShouldBeGreaterThan(0);

        probes.Where(p => p.What != "/health" && p.Status == 200).ShouldBeEmpty("Nothing can be read while the database is down.");
        probes.Where(p => p.Status is not (200 or 503) || p.Took > Patience || (p.Status == 503 && p.RetryAfter is null))
            .Select(p => $"{p.What}: {p.Status} in {p.Took.TotalMilliseconds:0} ms, Retry-After {p.RetryAfter}").ShouldBeEmpty();
        probes.Where(p => p.Status == 503 && p.What != "/health" && p.MediaType != "application/problem+json").ShouldBeEmpty();
        probes.Count(p => p.What == "/health" && p.Status == 503).ShouldBeGreaterThan(0, "/health says the database is down.");
        probes.Where(p => p.What == "/health" && p.Took > TimeSpan.FromSeconds(5)).ShouldBeEmpty("/health answers within its 3 s timeout.");

        // Every batch acknowledged, and stored exactly once. A batch whose commit went through as the connection
        // broke got a 503, and its resend is acknowledged as duplicates; otherwise the first 200 accepts it all.
        batches.Keys.Where(n => !acknowledged.ContainsKey(n)).ShouldBeEmpty("Every batch is acknowledged in the end.");
        foreach (var ack in acknowledged.Values)
        {
            var refusedBefore = all.Any(p => p.Result.Batch == ack.Batch && p.Result.Status == 503);
            (ack.Accepted == ack.Batch.Count || (refusedBefore && ack.Accepted == 0))
                .ShouldBeTrue($"{ack} (refused before: {refusedBefore})");
            (ack.Accepted + ack.Duplicates).ShouldBe(ack.Batch.Count);
        }

        var events = await store.EventIdsAsync();
        events.Count.ShouldBe(batches.Values.Sum(b => b.Count));
        events.Values.ShouldAllBe(n => n == 1);
        batches.Values.SelectMany(b => b.Ids).Where(id => !events.ContainsKey(id)).ShouldBeEmpty();
        (await store.KeyIdsAsync()).Count.ShouldBe(events.Count);
        (await Workload.KpisAsync(client)).ShouldBe(await store.KpisAsync());
        (await store.FactCountDisagreementsAsync()).ShouldBeEmpty();
        var child = batches[0].Children[0];
        (await Workload.JourneyIdsAsync(client, child)).ShouldBe(await store.StreamIdsAsync(child));
        output.WriteLine($"done at {clock.Elapsed.TotalSeconds:0.0} s");
    }

    private static async Task<(string What, int Status, TimeSpan Took, string? RetryAfter, string? MediaType)> ProbeAsync(HttpClient client, string url)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await client.GetAsync(new Uri(url, UriKind.Relative));
            await response.Content.ReadAsStringAsync();
            return (url, (int)response.StatusCode, clock.Elapsed, Workload.RetryAfter(response), response.Content.Headers.ContentType?.MediaType);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return (url, 0, clock.Elapsed, null, e.GetType().Name);
        }
    }
}
