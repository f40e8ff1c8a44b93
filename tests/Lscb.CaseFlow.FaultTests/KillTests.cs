using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Lscb.CaseFlow.Api.Tests.Infrastructure;
using Lscb.CaseFlow.BrowserTests.Infrastructure;
using Lscb.CaseFlow.FaultTests.Infrastructure;

namespace Lscb.CaseFlow.FaultTests;

/// <summary>
/// The API killed outright (SIGKILL) while four clients post batches, then started again on the same database:
/// what was acknowledged is there, whole; nothing is there in part; the figures agree with what is there.
/// </summary>
public sealed class KillTests(ITestOutputHelper output)
{
    private const int Clients = 4;
    private const int BatchesPerClient = 15;
    private const int ChildrenPerBatch = 50; // four events each: 200 events a batch

    [Fact(Timeout = 240_000)]
    public async Task acknowledged_batches_survive_a_kill_and_none_is_stored_in_part()
    {
        var seed = Seeds.Next();
        var random = new Random(seed);
        var server = await PostgresServer.SharedAsync();
        var connectionString = await server.CreateDatabaseAsync("kill");
        var store = new StoredEvents(connectionString);
        var keys = Workload.Keys();
        var run = Workload.NewRun();
        var batches = Enumerable.Range(0, Clients * BatchesPerClient).Select(n => Workload.Make(run, n, ChildrenPerBatch)).ToList();
        var clock = Stopwatch.StartNew();

        // Kill once a few batches are acknowledged, after a random moment more, with posts in flight.
        var killAfter = random.Next(2, 7);
        var killDelay = TimeSpan.FromMilliseconds(random.Next(0, 500));
        var results = new ConcurrentBag<PostResult>();
        int inFlightAtKill, killedPid;
        await using (var api = await ApiProcess.StartAsync(connectionString, keys, seedDemo: false, Workload.Environment))
        {
            output.WriteLine($"seed {seed}: the API (pid {api.ProcessId}) is killed after {killAfter} acknowledgements and {killDelay.TotalMilliseconds} ms more; started in {clock.Elapsed.TotalSeconds:0.0} s");
            using var client = Workload.Client(api, keys, TimeSpan.FromSeconds(60));
            var acknowledged = 0;
            var inFlight = 0;
            var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var load = Task.WhenAll(Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
            {
                foreach (var batch in batches.Where(b => b.Number % Clients == c))
                {
                    Interlocked.Increment(ref inFlight);
                    var result = await Workload.PostAsync(client, batch);
                    Interlocked.Decrement(ref inFlight);
                    results.Add(result);
                    if (!result.Answered)
                    {
                        return; // the API is gone: this client stops, as a producer whose connection broke would
                    }

                    if (result.Status == 200 && Interlocked.Increment(ref acknowledged) == killAfter)
                    {
                        enough.TrySetResult();
                    }
                }
            })));

            await Task.WhenAny(enough.Task, load).WaitAsync(TimeSpan.FromSeconds(120));
            enough.Task.IsCompleted.ShouldBeTrue($"Fewer than {killAfter} batches were acknowledged:\n{string.Join('\n', results)}\n{api.RecentLog}");
            await Task.Delay(killDelay);
            inFlightAtKill = Volatile.Read(ref inFlight);
            killedPid = api.ProcessId;
            await api.KillAsync();
            await load.WaitAsync(TimeSpan.FromSeconds(90));
        }

        var answered = results.Where(r => r.Answered).ToList();
        answered.ShouldAllBe(r => r.Status == 200, "Before the kill every batch is valid and acknowledged.");
        var acknowledgedBatches = answered.Select(r => r.Batch).ToHashSet();
        var cutOff = results.Where(r => !r.Answered).Select(r => r.Batch).ToHashSet();
        output.WriteLine($"killed pid {killedPid} at {clock.Elapsed.TotalSeconds:0.0} s: {acknowledgedBatches.Count} batches acknowledged, "
            + $"{cutOff.Count} cut off without an answer ({inFlightAtKill} in flight at the kill), {batches.Count - results.Count} never sent");
        cutOff.Count.ShouldBeGreaterThan(0, "The kill should have cut off at least one post in flight.");

        // Started again on the same database.
        await using var again = await ApiProcess.StartAsync(connectionString, keys, seedDemo: false, Workload.Environment);
        again.ProcessId.ShouldNotBe(killedPid);
        using var http = Workload.Client(again, keys, TimeSpan.FromSeconds(60));
        output.WriteLine($"restarted at {clock.Elapsed.TotalSeconds:0.0} s");

        var events = await store.EventIdsAsync();
        var keyRows = await store.KeyIdsAsync();
        events.Where(e => e.Value != 1).ShouldBeEmpty("No event is stored twice.");
        events.Keys.Order(StringComparer.Ordinal).ShouldBe(keyRows.Keys.Order(StringComparer.Ordinal), "The key table and the event store hold the same events.");

        var storedBefore = batches.ToDictionary(b => b, b => b.Ids.Count(events.ContainsKey));
        storedBefore.Where(s => s.Value != 0 && s.Value != s.Key.Count)
            .Select(s => $"{s.Key}: {s.Value} of {s.Key.Count} events stored").ShouldBeEmpty("No batch is stored in part.");
        acknowledgedBatches.Where(b => storedBefore[b] != b.Count).ShouldBeEmpty("Every acknowledged batch is stored whole.");
        var wholeBefore = storedBefore.Count(s => s.Value == s.Key.Count);
        output.WriteLine($"after the restart: {wholeBefore} batches stored whole ({wholeBefore - acknowledgedBatches.Count} of them cut off before their answer), none in part");
        events.Count.ShouldBe(wholeBefore * ChildrenPerBatch * 4);

        await FiguresAgreeAsync(store, http, batches, storedBefore);

        // Every batch sent again: exactly the missing ones are accepted, the rest are duplicates.
        var resent = new ConcurrentBag<PostResult>();
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
        {
            foreach (var batch in batches.Where(b => b.Number % Clients == c))
            {
                resent.Add(await Workload.PostAsync(http, batch));
            }
        }))).WaitAsync(TimeSpan.FromSeconds(120));
        resent.Where(r => r.Status != 200 || r.Accepted != r.Batch.Count - storedBefore[r.Batch] || r.Duplicates != storedBefore[r.Batch])
            .ShouldBeEmpty("Sent again, a batch's missing events are accepted and its stored ones are duplicates.");

        var after = await store.EventIdsAsync();
        after.Count.ShouldBe(batches.Sum(b => b.Count));
        after.Values.ShouldAllBe(n => n == 1);
        batches.SelectMany(b => b.Ids).Where(id => !after.ContainsKey(id)).ShouldBeEmpty();
        (await store.KeyIdsAsync()).Count.ShouldBe(after.Count);
        await FiguresAgreeAsync(store, http, batches, batches.ToDictionary(b => b, b => b.Count));
        output.WriteLine($"done at {clock.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>The KPIs, the daily counts and a few journeys agree with the events stored.</summary>
    private static async Task FiguresAgreeAsync(
        StoredEvents store, HttpClient http, IReadOnlyList<Batch> batches, IReadOnlyDictionary<Batch, int> stored)
    {
        (await Workload.KpisAsync(http)).ShouldBe(await store.KpisAsync());
        (await store.FactCountDisagreementsAsync()).ShouldBeEmpty("fact_counts must count exactly the rows of child_facts.");
        if (stored.Values.Sum() > 0)
        {
            (await store.FactCountAsync()).ShouldBeGreaterThan(0, "The comparison above compared something.");
        }

        // The first and last child of a few stored batches, and a child of a batch that is not stored.
        foreach (var batch in batches.Where(b => stored[b] > 0).Take(3))
        {
            foreach (var child in new[] { batch.Children[0], batch.Children[^1] })
            {
                var listed = await Workload.JourneyIdsAsync(http, child);
                listed.ShouldBe(await store.StreamIdsAsync(child));
                listed.Count.ShouldBe(4);
            }
        }

        if (batches.FirstOrDefault(b => stored[b] == 0) is { } missing)
        {
            using var none = await http.GetAsync(new Uri($"/api/children/{missing.Children[0]}/journey", UriKind.Relative));
            none.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }
    }
}
