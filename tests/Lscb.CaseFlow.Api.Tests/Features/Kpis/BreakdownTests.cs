using System.Net;
using System.Text.Json.Nodes;
using Lscb.CaseFlow.Api.Tests.Infrastructure;

namespace Lscb.CaseFlow.Api.Tests.Features.Kpis;

/// <summary><c>GET /api/kpis/breakdown</c> over Naseem's family: the contract's shape, its refusals and its roles.</summary>
public sealed class BreakdownTests(CaseFlowApp app) : IClassFixture<CaseFlowApp>, IAsyncLifetime
{
    private const string Year = "from=2016-04-01&to=2017-03-31";

    public Task InitializeAsync() => NaseemFamily.LoadAsync(app);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task contacts_and_referrals_split_by_agency_add_up_to_the_whole()
    {
        var whole = (await app.GetJsonAsync($"/api/kpis?{Year}"))["kpis"]!;
        var byAgency = await app.GetJsonAsync($"/api/kpis/breakdown?{Year}&by=agency");

        byAgency["by"]!.GetValue<string>().ShouldBe("agency");
        var contacts = byAgency["kpis"]!["contacts"]!.AsArray();
        contacts.ShouldNotBeEmpty();
        contacts.Sum(g => g!["value"]!.GetValue<long>()).ShouldBe(whole["contacts"]!["value"]!.GetValue<long>());
        var reReferrals = byAgency["kpis"]!["reReferralRate"]!.AsArray();
        reReferrals.Sum(g => g!["denominator"]!.GetValue<long>()).ShouldBe(whole["reReferralRate"]!["denominator"]!.GetValue<long>());
        reReferrals.Sum(g => g!["numerator"]!.GetValue<long>()).ShouldBe(whole["reReferralRate"]!["numerator"]!.GetValue<long>());
        byAgency["kpis"]!.AsObject().Select(k => k.Key).ShouldBe(
            ["contacts", "contactsToAssessmentOrS47Rate", "referrals", "childrenReferred", "reReferralRate", "reReferralsAfterConsentDeclinedRate"], ignoreOrder: true);
    }

    [Fact]
    public async Task children_on_a_plan_are_split_by_their_plan_s_category()
    {
        var byCategory = await app.GetJsonAsync($"/api/kpis/breakdown?{Year}&by=category");

        var onPlan = byCategory["kpis"]!["childrenOnPlan"]!.AsArray();
        onPlan.Sum(g => g!["value"]!.GetValue<long>())
            .ShouldBe((await app.GetJsonAsync($"/api/kpis?{Year}"))["kpis"]!["childrenOnPlan"]!["value"]!.GetValue<long>());
        byCategory["kpis"]!["childrenLookedAfter"].ShouldBeNull("legal status is its dimension, not category");
    }

    [Theory]
    [InlineData("by=team", "'by' must be one of")]
    [InlineData("", "'by' must be one of")]
    public async Task a_dimension_kpis_md_does_not_define_is_refused(string by, string detail)
    {
        using var response = await app.Client.GetAsync($"/api/kpis/breakdown?{Year}&{by}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await CaseFlowApp.ProblemOf(response))["detail"]!.GetValue<string>().ShouldContain(detail);
    }

    [Fact]
    public async Task a_breakdown_needs_the_analyst_role()
    {
        using var auditor = app.ClientFor("auditor");
        using var response = await auditor.GetAsync($"/api/kpis/breakdown?{Year}&by=agency");

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task publication_suppresses_every_small_group()
    {
        var published = await app.GetJsonAsync($"/api/kpis/breakdown?{Year}&by=agency&publication=true");

        var values = published["kpis"]!["contacts"]!.AsArray().Select(g => g!["value"]!.ToJsonString()).ToList();
        values.ShouldAllBe(v => v == "\"c\"" || long.Parse(v, System.Globalization.CultureInfo.InvariantCulture) >= 6 || v == "0");
        values.ShouldContain("\"c\"", "Naseem's family is small: its groups are suppressed");
    }
}
