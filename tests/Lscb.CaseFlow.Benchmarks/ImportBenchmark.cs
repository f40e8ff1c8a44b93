using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Lscb.CaseFlow.Api.Features.Importing;
using Lscb.CaseFlow.Api.Tests.Infrastructure;

namespace Lscb.CaseFlow.Benchmarks;

/// <summary>
/// What an import costs the API: the largest files <see cref="ImportLimits.Default"/> allows (a census of the most bytes
/// and events, an Annex A of the most rows and events) and censuses of growing size, each posted to a fresh API process
/// on a database of its own. Memory is the process's peak resident set during each import (its peak reset before it);
/// time is the request's, storing included, so seconds per MB at several sizes show whether reading is linear.
/// </summary>
internal static class ImportBenchmark
{
    private const string Database = "caseflow_bench_imports";

    public static async Task<JsonObject> RunAsync(string server, string apiDll)
    {
        var limits = ImportLimits.Default;
        var figures = new JsonObject
        {
            ["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["limits"] = new JsonObject(limits.All().Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))),
        };

        var db = await Program.CreateDatabaseAsync(server, Database);
        figures["machine"] = await Program.MachineAsync(db);
        var environment = new Dictionary<string, string> { ["CaseFlow__Pseudonymisation__Secrets__default"] = ApiProcess.NewApiKey() };
        await using var api = await ApiProcess.StartAsync(apiDll, db, environment);
        using var http = api.CreateClient();
        http.Timeout = TimeSpan.FromMinutes(30);
        figures["idleRssMb"] = Math.Round(api.RssMb());

        var linear = new JsonArray();
        foreach (var mb in new[] { 5, 10, 20 })
        {
            var census = HostileFiles.CensusOfSize(mb * 1024L * 1024, prefix: $"S{mb}-");
            var run = await ImportAsync(api, http, "cin-census", census, $"a census of {mb} MB");
            linear.Add(run);
        }

        figures["censusBySize"] = linear;

        var largestCensus = HostileFiles.CensusOfSize(limits.MaxBytes - 65_536, limits.MaxEvents, prefix: "C");
        figures["largestCensus"] = await ImportAsync(api, http, "cin-census", largestCensus, "the largest census allowed");

        // The heading row is a row too: the largest list allowed holds MaxRowsPerList - 1 records.
        var largestAnnexA = HostileFiles.AnnexAOfRows(Math.Min(limits.MaxRowsPerList - 1, limits.MaxEvents / 2), referrals: true, prefix: "W");
        figures["largestAnnexA"] = await ImportAsync(api, http, "annex-a", largestAnnexA, "the largest Annex A allowed");

        figures["importPeakRssMb"] = Math.Max(
            figures["largestCensus"]!["peakRssMb"]!.GetValue<double>(), figures["largestAnnexA"]!["peakRssMb"]!.GetValue<double>());
        figures["machine"]!["loadAverageAtEnd"] = Program.LoadAverage();
        return figures;
    }

    private static async Task<JsonObject> ImportAsync(ApiProcess api, HttpClient http, string format, byte[] file, string what)
    {
        Program.Log($"POST /api/imports/{format}: {what}, {file.Length / 1024.0 / 1024.0:0.0} MB");
        api.ResetPeakRss();
        using var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue(format == "cin-census"
            ? "application/xml"
            : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        var clock = Stopwatch.StartNew();
        using var response = await http.PostAsync(new Uri($"/api/imports/{format}", UriKind.Relative), content);
        var body = await response.Content.ReadAsStringAsync();
        clock.Stop();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"{what}: {(int)response.StatusCode} {body}");
        }

        var answer = JsonNode.Parse(body)!;
        var mb = file.Length / 1024.0 / 1024.0;
        return new JsonObject
        {
            ["what"] = what,
            ["mb"] = Math.Round(mb, 1),
            ["events"] = answer["events"]!.GetValue<int>() + answer["duplicates"]!.GetValue<int>(),
            ["rejected"] = answer["rejectedTotal"]!.GetValue<int>(),
            ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1),
            ["secondsPerMb"] = Math.Round(clock.Elapsed.TotalSeconds / mb, 2),
            ["eventsPerSecond"] = Math.Round((answer["events"]!.GetValue<int>() + answer["duplicates"]!.GetValue<int>()) / clock.Elapsed.TotalSeconds),
            ["peakRssMb"] = Math.Round(api.PeakRssMb()),
        };
    }
}
