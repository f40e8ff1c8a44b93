using System.Text.Json.Nodes;
using JasperFx;
using Lscb.CaseFlow.Api;
using Lscb.CaseFlow.Events;
using Lscb.CaseFlow.Facts;
using Lscb.CaseFlow.Journeys;
using Lscb.CaseFlow.Kpis;
using Marten;
using Npgsql;
using Lscb.CaseFlow.Api.Host;
using Lscb.CaseFlow.Api.ReadModel;

namespace Lscb.CaseFlow.Benchmarks;

/// <summary>
/// The KPIs computed the naive way, with no projection: every child's stream read back from the event store and
/// passed through the domain's pure functions. What the indexed facts save, and a check that they agree.
/// </summary>
internal static class Replay
{
    public static async Task<IReadOnlyDictionary<string, KpiValue>> KpisAsync(string connectionString, Window window, long? population)
    {
        await using var store = DocumentStore.For(opts =>
        {
            CaseFlowHost.ConfigureMarten(opts);
            opts.Connection(connectionString);
            // The API created the schema; a reader must not touch it.
            opts.AutoCreateSchemaObjects = AutoCreate.None;
        });

        var children = new List<string>();
        await using (var db = NpgsqlDataSource.Create(connectionString))
        await using (var cmd = db.CreateCommand($"select id from {CaseFlowTables.Schema}.mt_streams"))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                children.Add(reader.GetString(0));
            }
        }

        await using var session = store.QuerySession();
        var facts = new List<Fact>();
        foreach (var child in children)
        {
            var stream = await session.Events.FetchStreamAsync(child);
            facts.AddRange(ChildFacts.Of(child, ChildHistory.Of(stream.Select(e => e.Data).OfType<CaseEvent>())));
        }

        return KpiDefinitions.Evaluate(facts, window, population);
    }

    /// <summary>Each KPI whose numerator, denominator, value or count differs from the API's answer (<c>kpis</c> of GET /api/kpis).</summary>
    public static List<string> Differences(JsonNode apiKpis, IReadOnlyDictionary<string, KpiValue> replayed)
    {
        var differences = new List<string>();
        foreach (var kpi in KpiDefinitions.All)
        {
            var api = apiKpis[kpi.Key];
            var mine = replayed[kpi.Key];
            var same = kpi is Kpi.Count
                ? Long(api?["value"]) == mine.Count
                : Long(api?["numerator"]) == mine.Numerator
                  && Long(api?["denominator"]) == mine.Denominator
                  && Double(api?["value"]) == mine.Value;
            if (!same)
            {
                differences.Add($"{kpi.Key}: API {api?.ToJsonString()}, replay {mine}");
            }
        }

        return differences;
    }

    private static long? Long(JsonNode? node) => node?.GetValue<long>();

    // System.Text.Json writes doubles round-trippably, so equal arithmetic must give equal values.
    private static double? Double(JsonNode? node) => node?.GetValue<double>();
}
