using System.Text.Json.Nodes;
using Lscb.CaseFlow.Api.Tests.Infrastructure;

namespace Lscb.CaseFlow.Api.Tests.Features.Ingesting;

/// <summary>Several systems posting overlapping batches at once never store an event twice or lose one.</summary>
public sealed class ConcurrencyTests(CaseFlowApp app) : IClassFixture<CaseFlowApp>
{
    [Fact]
    public async Task eight_clients_posting_the_same_2000_events_in_different_batchings_store_each_once()
    {
        var events = Population(2_000, children: 150, seed: 7);

        var clients = Enumerable.Range(0, 8).Select(async client =>
        {
            var random = new Random(client);
            var shuffled = events.OrderBy(_ => random.Next()).ToList();
            var batchSize = new[] { 1_000, 333, 250, 500, 97, 2_000, 128, 700 }[client];
            var acknowledged = (Accepted: 0, Duplicates: 0);
            foreach (var batch in shuffled.Chunk(batchSize))
            {
                var (accepted, duplicates) = await app.IngestAsync(Ce.Batch(batch));
                acknowledged = (acknowledged.Accepted + accepted, acknowledged.Duplicates + duplicates);
            }

            return acknowledged;
        }).ToList();
        var results = await Task.WhenAll(clients);

        results.Sum(r => r.Accepted).ShouldBe(2_000);
        results.Sum(r => r.Duplicates).ShouldBe(7 * 2_000);
        (await app.StoredEventCountAsync()).ShouldBe(2_000);
        (await app.ScalarAsync("select count(*) from caseflow.event_keys")).ShouldBe(2_000);
        (await app.ScalarAsync("select count(distinct (data ->> 'EventId')) from caseflow.mt_events")).ShouldBe(2_000);
    }

    /// <summary>Contacts and referrals spread over children; no retractions, so any order is valid.</summary>
    private static List<JsonNode> Population(int count, int children, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(i =>
        {
            var child = $"CONC{random.Next(children):D4}";
            var on = new DateOnly(2015, 1, 1).AddDays(random.Next(1_500)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            return (JsonNode)(i % 2 == 0 ? Ce.Contact(child, on, $"CT-{i}") : Ce.Referral(child, on, $"R-{i}"));
        }).ToList();
    }
}
