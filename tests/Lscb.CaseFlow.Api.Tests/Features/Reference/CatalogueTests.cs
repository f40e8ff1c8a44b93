using System.Net;
using System.Text.Json.Nodes;
using Lscb.CaseFlow.Api.Tests.Infrastructure;
using Lscb.CaseFlow.Events;
using Lscb.CaseFlow.Kpis;

namespace Lscb.CaseFlow.Api.Tests.Features.Reference;

/// <summary><c>GET /api/catalogue</c>: the labels and groups the dashboard reads instead of keeping its own copies.</summary>
public sealed class CatalogueTests(CaseFlowApp app) : IClassFixture<CaseFlowApp>
{
    private async Task<JsonNode> CatalogueAs(string keyName)
    {
        using var client = app.ClientFor(keyName);
        using var response = await client.GetAsync("/api/catalogue");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    [Fact]
    public async Task every_kpi_is_listed_once_under_its_stage_with_its_title_and_kind()
    {
        var catalogue = await CatalogueAs("analyst");

        var listed = catalogue["groups"]!.AsArray().SelectMany(g => g!["kpis"]!.AsArray()).ToList();
        listed.Select(k => k!["key"]!.GetValue<string>()).ShouldBe(KpiDefinitions.All.Select(k => k.Key), ignoreOrder: true);
        var icpc = catalogue["groups"]!.AsArray().Single(g => g!["kpis"]!.AsArray().Any(k => k!["key"]!.GetValue<string>() == "icpc"))!;
        icpc["heading"]!.GetValue<string>().ShouldBe("Assessment and section 47");
        var reReferrals = listed.Single(k => k!["key"]!.GetValue<string>() == "reReferralRate")!;
        reReferrals["title"]!.GetValue<string>().ShouldBe(KpiDefinitions.ReReferralRate.Title);
        reReferrals["kind"]!.GetValue<string>().ShouldBe("percentage");
    }

    [Fact]
    public async Task mash_decisions_come_in_order_of_intervention_with_their_labels()
    {
        var catalogue = await CatalogueAs("ingest");

        var decisions = catalogue["codeLists"]!.AsArray().Single(l => l!["name"]!.GetValue<string>() == "mashDecisions")!["codes"]!.AsArray();
        decisions.Select(c => c!["value"]!.GetValue<string>()).ShouldBe(["no-further-action", "information-advice", "early-help", "assessment", "section-47"]);
        decisions[4]!["label"]!.GetValue<string>().ShouldBe("section 47 enquiry");
        catalogue["codeLists"]!.AsArray().Count.ShouldBe(CodeLists.All.Count + 1, "and the agencies referral sources are grouped into");
        catalogue["codeLists"]!.AsArray().Single(l => l!["name"]!.GetValue<string>() == "agencies")!["codes"]!.AsArray()
            .Select(c => c!["value"]!.GetValue<string>()).ShouldContain("la-services");
    }

    [Theory]
    [InlineData("GET", "/api/audit/journey-reads", "admin")]
    [InlineData("PUT", "/api/targets/{key}", "admin")]
    [InlineData("PUT", "/api/reference/population/{year}", "admin")]
    [InlineData("GET", "/api/children/{childId}/journey", "auditor")]
    [InlineData("GET", "/api/kpis", "analyst")]
    [InlineData("POST", "/api/events", "ingest")]
    public async Task each_route_lists_the_role_its_own_authorization_needs(string method, string path, string role)
    {
        var catalogue = await CatalogueAs("auditor");

        var endpoint = catalogue["endpoints"]!.AsArray()
            .Single(e => e!["method"]!.GetValue<string>() == method && e["path"]!.GetValue<string>() == path)!;
        endpoint["roles"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldBe([role]);
    }

    [Fact]
    public async Task targets_may_be_read_by_an_analyst_or_an_admin_and_health_by_anyone()
    {
        var endpoints = (await CatalogueAs("admin"))["endpoints"]!.AsArray();

        endpoints.Single(e => e!["method"]!.GetValue<string>() == "GET" && e["path"]!.GetValue<string>() == "/api/targets")!["roles"]!
            .AsArray().Select(r => r!.GetValue<string>()).ShouldBe(["admin", "analyst"]);
        endpoints.Single(e => e!["path"]!.GetValue<string>() == "/health")!["anonymous"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task the_catalogue_needs_a_signed_in_caller()
    {
        using var anonymous = app.ClientFor(null);
        using var response = await anonymous.GetAsync("/api/catalogue");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
