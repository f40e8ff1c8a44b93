using System.Net;
using System.Text.Json.Nodes;
using Lscb.CaseFlow.Api.Tests.Infrastructure;

namespace Lscb.CaseFlow.Api.Tests.Features.Kpis;

/// <summary>
/// <c>GET /api/kpis/cohort</c> over Naseem's family: from a figure to the children behind it, for auditors only, every
/// child named in the access log.
/// </summary>
public sealed class CohortTests(CaseFlowApp app) : IClassFixture<CaseFlowApp>, IAsyncLifetime
{
    private const string Year = "from=2016-04-01&to=2017-03-31";

    public Task InitializeAsync() => NaseemFamily.LoadAsync(app);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task the_re_referral_rate_s_cohort_lists_its_referrals_marked_in_or_out_of_the_numerator()
    {
        var whole = (await app.GetJsonAsync($"/api/kpis?{Year}"))["kpis"]!["reReferralRate"]!;
        var cohort = await app.GetJsonAsync($"/api/kpis/cohort?key=reReferralRate&{Year}&reason=board%20question");

        var units = cohort["units"]!.AsArray();
        units.Count.ShouldBe(whole["denominator"]!.GetValue<int>());
        units.Count(u => u!["inNumerator"]!.GetValue<bool>()).ShouldBe(whole["numerator"]!.GetValue<int>());
        units.ShouldAllBe(u => u!["source"] != null && u["eventId"] != null && u["occurredOn"] != null);
        cohort["by"].ShouldBeNull();
    }

    [Fact]
    public async Task a_cohort_of_children_names_children_only()
    {
        var cohort = await app.GetJsonAsync($"/api/kpis/cohort?key=childrenOnPlan&from=2016-06-01&to=2016-06-30");

        var units = cohort["units"]!.AsArray();
        units.Select(u => u!["childId"]!.GetValue<string>()).ShouldContain("NASEEM01");
        units.ShouldAllBe(u => u!["eventId"] == null && u["source"] == null && u["inNumerator"] == null);
    }

    [Fact]
    public async Task every_child_a_cohort_names_is_in_the_access_log_with_the_reason()
    {
        var cohort = await app.GetJsonAsync($"/api/kpis/cohort?key=referrals&{Year}&by=agency&group=schools&reason=which%20schools");
        var children = cohort["units"]!.AsArray().Select(u => u!["childId"]!.GetValue<string>()).Distinct().ToList();
        children.ShouldNotBeEmpty();

        foreach (var child in children)
        {
            var reads = await app.GetJsonAsync($"/api/audit/journey-reads?childId={child}&read=cohort");
            reads.ToJsonString().ShouldContain("which schools");
        }
    }

    [Theory]
    [InlineData("key=noSuchKpi", "'key' must name a KPI")]
    [InlineData("key=referrals&by=agency", "'by' and 'group' go together")]
    [InlineData("key=referrals&group=schools", "'by' and 'group' go together")]
    [InlineData("key=childrenLookedAfter&by=agency&group=schools", "is not broken down by that dimension")]
    public async Task a_cohort_that_cannot_be_read_is_refused_and_nothing_is_logged(string query, string detail)
    {
        using var response = await app.Client.GetAsync($"/api/kpis/cohort?{Year}&{query}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await CaseFlowApp.ProblemOf(response))["detail"]!.GetValue<string>().ShouldContain(detail);
    }

    [Fact]
    public async Task a_cohort_is_for_auditors_only()
    {
        using var analyst = app.ClientFor("analyst");
        using var response = await analyst.GetAsync($"/api/kpis/cohort?key=referrals&{Year}");

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
