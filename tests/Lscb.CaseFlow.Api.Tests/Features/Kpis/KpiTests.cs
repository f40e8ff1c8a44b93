using Lscb.CaseFlow.Kpis;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Lscb.CaseFlow.Api.Tests.Infrastructure;

namespace Lscb.CaseFlow.Api.Tests.Features.Kpis;

/// <summary>The board's KPIs for Naseem's family, exactly as naseem.expected.json gives them.</summary>
public sealed class KpiTests(CaseFlowApp app) : IClassFixture<CaseFlowApp>, IAsyncLifetime
{
    private static readonly JsonNode Expected = JsonNode.Parse(File.ReadAllText(Ce.SharedFile("fixtures/naseem.expected.json")))!;

    public static TheoryData<int> Windows => [.. Enumerable.Range(0, Expected["windows"]!.AsArray().Count)];

    public async Task InitializeAsync()
    {
        if (await app.StoredEventCountAsync("NASEEM01") > 0)
        {
            return;
        }

        await app.IngestAsync(Ce.Naseem());
        foreach (var (year, children) in Expected["population"]!.AsObject())
        {
            using var response = await app.Client.PutAsJsonAsync($"/api/reference/population/{year}", new { children = children!.GetValue<int>() });
            response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [MemberData(nameof(Windows))]
    public async Task naseems_family_gives_the_expected_kpis_for_every_window(int index)
    {
        var window = Expected["windows"]![index]!;
        var from = window["from"]!.GetValue<string>();
        var to = window["to"]!.GetValue<string>();

        var answer = await app.GetJsonAsync($"/api/kpis?from={from}&to={to}");

        answer["from"]!.GetValue<string>().ShouldBe(from);
        answer["to"]!.GetValue<string>().ShouldBe(to);
        KpiAssert.Matches(answer["kpis"]!, window["kpis"]!, $"{from}..{to}");
    }

    [Fact]
    public async Task every_key_of_kpis_md_is_always_present()
    {
        var answer = await app.GetJsonAsync("/api/kpis?from=1990-01-01&to=1990-01-01");

        var keys = answer["kpis"]!.AsObject().Select(k => k.Key).ToList();
        keys.ShouldBe(KpiDefinitions.All.Select(k => k.Key));
        Expected["windows"]![0]!["kpis"]!.AsObject().Select(k => k.Key).Except(keys).ShouldBeEmpty("every key the fixture expects");
    }

    [Fact]
    public async Task the_population_is_the_latest_mid_year_on_or_before_the_windows_end()
    {
        var before = await app.GetJsonAsync("/api/kpis?from=2016-04-01&to=2016-06-29");
        var on = await app.GetJsonAsync("/api/kpis?from=2016-04-01&to=2016-06-30");

        before["population"]!.GetValue<int>().ShouldBe(45200);
        on["population"]!.GetValue<int>().ShouldBe(45260);
        on["kpis"]!["referralRatePer10k"]!["denominator"]!.GetValue<int>().ShouldBe(45260);
    }

    [Theory]
    [InlineData("from=2016-04-01", "to")]
    [InlineData("to=2016-06-30", "from")]
    [InlineData("from=2016-04-01&to=2016-06-31", "to")]
    [InlineData("from=01/04/2016&to=2016-06-30", "from")]
    [InlineData("from=2016-07-01&to=2016-06-30", "after")]
    public async Task a_missing_malformed_or_reversed_window_is_refused(string query, string named)
    {
        using var response = await app.Client.GetAsync($"/api/kpis?{query}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await CaseFlowApp.ProblemOf(response))["detail"]!.GetValue<string>().ShouldContain(named);
    }

    [Theory]
    [InlineData(1989, 45000)]
    [InlineData(2016, 0)]
    public async Task an_impossible_population_is_refused(int year, int children)
    {
        using var response = await app.Client.PutAsJsonAsync($"/api/reference/population/{year}", new { children });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }
}
