using System.Text.Json.Nodes;
using Lscb.CaseFlow.Api.Tests.Infrastructure;

namespace Lscb.CaseFlow.Api.Tests.Features.Reference;

/// <summary>
/// Two authorities in one service: Solihull (the default tenant, <c>CaseFlow:Authority:LaCode</c> 334) and Walsall
/// (tenant E08000030, <c>CaseFlow:Tenancy:Authorities</c> 335), each compared with its own DfE figures.
/// </summary>
public sealed class AuthorityPerTenantTests : IAsyncLifetime
{
    private readonly CaseFlowApp _app = new()
    {
        Settings = new Dictionary<string, string> { ["CaseFlow:Tenancy:Authorities:E08000030"] = "335" },
    };

    public Task InitializeAsync() => _app.InitializeAsync();

    public Task DisposeAsync() => _app.DisposeAsync();

    private async Task<JsonNode> ComparisonAs(string keyName)
    {
        using var client = _app.ClientFor(keyName);
        using var response = await client.GetAsync("/api/kpis/comparison?from=2016-04-01&to=2017-03-31");
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static double? Published(JsonNode comparison, string key, string field) =>
        comparison["kpis"]!.AsArray().Single(k => k!["key"]!.GetValue<string>() == key)!["published"]?[field]?.GetValue<double?>();

    [Fact]
    public async Task each_authority_sees_its_own_name_region_and_dfe_figures()
    {
        var solihull = await ComparisonAs("all");
        var walsall = await ComparisonAs("other-authority");

        solihull["authority"]!["laCode"]!.GetValue<string>().ShouldBe("334");
        solihull["authority"]!["name"]!.GetValue<string>().ShouldBe("Solihull");
        walsall["authority"]!["laCode"]!.GetValue<string>().ShouldBe("335");
        walsall["authority"]!["name"]!.GetValue<string>().ShouldBe("Walsall");
        walsall["authority"]!["region"]!.GetValue<string>().ShouldBe("West Midlands");

        // The same DfE year, the same England, each its own published rate.
        Published(walsall, "reReferralRate", "england").ShouldBe(Published(solihull, "reReferralRate", "england"));
        Published(walsall, "reReferralRate", "authority").ShouldNotBeNull();
        Published(walsall, "reReferralRate", "authority").ShouldNotBe(Published(solihull, "reReferralRate", "authority"));
    }

    [Fact]
    public async Task the_board_report_names_the_caller_s_authority()
    {
        using var walsall = _app.ClientFor("other-authority");
        var report = await walsall.GetStringAsync("/api/reports/board?from=2016-04-01&to=2017-03-31&format=markdown");

        report.ShouldContain("Walsall");
        report.ShouldNotContain("Solihull");
    }
}
