using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Lscb.CaseFlow.Api.Tests.Infrastructure;
using Lscb.CaseFlow.BrowserTests.Infrastructure;
using Lscb.CaseFlow.FaultTests.Infrastructure;

namespace Lscb.CaseFlow.FaultTests;

/// <summary>
/// The files that took the service down, or took gigabytes, sent to the built API as it is deployed (a process of its
/// own, so that a crash would be seen as one): each is refused with a problem naming its limit, or imported; after
/// each the process is alive, another authority is served, nothing was logged at Error or quoted from the file, and
/// the process's peak memory during the file stayed under <see cref="CeilingMb"/>.
/// </summary>
public sealed class HostileFileTests(ITestOutputHelper output)
{
    /// <summary>
    /// The most resident memory the process may reach while it reads a hostile file (docs/security.md): the largest
    /// honest imports take more (docs/performance.md, Imports), and files that go past a limit are refused well under it.
    /// </summary>
    private const double CeilingMb = 512;

    /// <summary>A value that only the hostile files hold: it must never reach the log.</summary>
    private const string Marker = "HOSTILE-FILE-CONTENT-7d1e";

    private sealed record Case(string What, string Format, byte[] File, int Expected, string? Limit = null);

    [Fact(Timeout = 600_000)]
    public async Task hostile_files_never_take_the_service_down_or_past_its_memory_ceiling()
    {
        var server = await PostgresServer.SharedAsync();
        var connectionString = await server.CreateDatabaseAsync("hostile");
        var keys = Workload.Keys();
        var other = TestApiKey.Generate("other-authority", ["analyst"], []);
        var environment = new Dictionary<string, string>(Workload.Environment)
        {
            ["CaseFlow__Pseudonymisation__Secrets__default"] = TestApiKey.Generate("secret", [], []).Key,
            ["CaseFlow__ApiKeys__1__Name"] = other.Name,
            ["CaseFlow__ApiKeys__1__Key"] = other.Key,
            ["CaseFlow__ApiKeys__1__Roles__0"] = "analyst",
            ["CaseFlow__ApiKeys__1__Tenant"] = "E08000030",
        };
        await using var api = await ApiProcess.StartAsync(connectionString, keys, seedDemo: false, environment);
        using var client = Workload.Client(api, keys, TimeSpan.FromMinutes(5));
        using var otherAuthority = Workload.Client(api, [other], TimeSpan.FromSeconds(30));

        Case[] cases =
        [
            new("a census of 700 KB with a child nested 100,000 deep", "cin-census", HostileFiles.DeepCensus(100_000), 400, "MaxDepth"),
            new("a workbook of 3 KB with a cell nested 100,000 deep", "annex-a", HostileFiles.DeepCellAnnexA(100_000), 400, "MaxDepth"),
            new("shared strings nested 100,000 deep", "annex-a", HostileFiles.DeepSharedStringsAnnexA(100_000), 400, "MaxDepth"),
            new("a file of 100 KB unzipping to 99 M characters of shared strings", "annex-a",
                HostileFiles.ExpandingSharedStringsAnnexA(99_000_000), 413, "MaxSharedStringCharacters"),
            new("300,000 rows in List 1", "annex-a", HostileFiles.AnnexAOfRows(300_000), 413, "MaxRowsPerList"),
            new("a child of 50,000 elements", "cin-census", HostileFiles.WideCensus(50_000), 400, "MaxNodesPerRecord"),
            new("a value of a million characters", "cin-census", HostileFiles.LongValueCensus(1_000_000), 400, "MaxValueCharacters"),
            new("entities that would expand to gigabytes", "cin-census", HostileFiles.EntityExpansionCensus(), 400),
            new("a malformed sheet", "annex-a", new HostileFiles.Workbook().RawSheet("List 1", $"<worksheet><sheetData><row><c><v>{Marker}</c>").ToBytes(), 400),
            new("malformed shared strings", "annex-a", new HostileFiles.Workbook().RawSharedStrings($"<sst><si><t>{Marker}</si>")
                .Sheet("List 1", w => w.Write(HostileFiles.ContactHeadings)).ToBytes(), 400),
            new("a DTD in a part", "annex-a", new HostileFiles.Workbook().RawSheet("List 1", $"<!DOCTYPE w [<!ENTITY m \"{Marker}\">]><worksheet/>").ToBytes(), 400),
            new("a workbook cut short", "annex-a", HostileFiles.Truncated(HostileFiles.AnnexAOfRows(1_000), 9_000), 400),
            new("a census of 5 MB of minimal children", "cin-census", HostileFiles.CensusOfSize(5 * 1024 * 1024), 200),
        ];

        foreach (var c in cases)
        {
            api.ResetPeakRss();
            var clock = Stopwatch.StartNew();
            var (status, answer) = await ImportAsync(client, c.Format, c.File);
            output.WriteLine($"{c.What} ({c.File.Length / 1024.0:N0} KB): {status} in {clock.Elapsed.TotalSeconds:0.0} s, peak {api.PeakRssMb():N0} MB");

            status.ShouldBe(c.Expected, $"{c.What}: {answer.ToJsonString()}\n{api.RecentLog}");
            if (c.Limit is not null)
            {
                answer["limit"]!["name"]!.GetValue<string>().ShouldBe($"CaseFlow:Imports:{c.Limit}");
            }

            await StillServesAsync(api, otherAuthority, c.What);
            api.PeakRssMb().ShouldBeLessThan(CeilingMb, c.What);
        }

        // Three at once (the issue's 5.9 GB): no more are read than the node reads at once, the others are told to come back.
        api.ResetPeakRss();
        var expanding = HostileFiles.ExpandingSharedStringsAnnexA(99_000_000);
        var together = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => ImportAsync(client, "annex-a", expanding)));
        output.WriteLine($"three at once: {string.Join(", ", together.Select(t => t.Status))}, peak {api.PeakRssMb():N0} MB");
        together.ShouldAllBe(t => t.Status == 413 || t.Status == 429);
        await StillServesAsync(api, otherAuthority, "three at once");
        api.PeakRssMb().ShouldBeLessThan(CeilingMb);

        // Refused as hostile input: at Warning at most, never a stack trace, never the file.
        var log = api.LogLines;
        log.Where(l => l.Contains("\"LogLevel\":\"Error\"", StringComparison.Ordinal) || l.Contains("\"LogLevel\":\"Critical\"", StringComparison.Ordinal))
            .ShouldBeEmpty();
        log.Where(l => l.Contains(Marker, StringComparison.Ordinal) || l.Contains("   at ", StringComparison.Ordinal)).ShouldBeEmpty();
        log.ShouldContain(l => l.Contains("Import refused", StringComparison.Ordinal) && l.Contains("\"LogLevel\":\"Warning\"", StringComparison.Ordinal));
    }

    private static async Task<(int Status, JsonNode Answer)> ImportAsync(HttpClient client, string format, byte[] file)
    {
        using var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue(format == "cin-census"
            ? "application/xml"
            : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        using var response = await client.PostAsync(new Uri($"/api/imports/{format}", UriKind.Relative), content);
        var body = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonNode.Parse(body.Length == 0 ? "{}" : body)!);
    }

    /// <summary>The process is alive, and answers another authority's KPIs.</summary>
    private static async Task StillServesAsync(ApiProcess api, HttpClient otherAuthority, string after)
    {
        api.IsAlive.ShouldBeTrue($"The API died after {after}.\n{api.RecentLog}");
        using var live = await otherAuthority.GetAsync(new Uri("/health/live", UriKind.Relative));
        live.StatusCode.ShouldBe(HttpStatusCode.OK, after);
        using var kpis = await otherAuthority.GetAsync(new Uri("/api/kpis?from=2020-01-01&to=2020-12-31", UriKind.Relative));
        kpis.StatusCode.ShouldBe(HttpStatusCode.OK, after);
    }
}
