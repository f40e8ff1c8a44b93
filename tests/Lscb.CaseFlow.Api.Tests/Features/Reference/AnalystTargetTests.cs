using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Lscb.CaseFlow.Api.Tests.Infrastructure;

namespace Lscb.CaseFlow.Api.Tests.Features.Reference;

/// <summary>
/// Local targets (<c>/api/targets</c>) and the RAG status they give each KPI of a comparison, for Naseem's family.
/// Each test uses KPI keys of its own, so tests sharing the database keep apart.
/// </summary>
public sealed class AnalystTargetTests(CaseFlowApp app) : IClassFixture<CaseFlowApp>, IAsyncLifetime
{
    public Task InitializeAsync() => NaseemFamily.LoadAsync(app);

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task PutAsync(string key, object body)
    {
        using var response = await app.Client.PutAsJsonAsync($"/api/targets/{key}", body);
        response.StatusCode.ShouldBe(HttpStatusCode.NoContent, await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonNode?> TargetOf(string key) =>
        (await app.GetJsonAsync("/api/targets")).AsArray().SingleOrDefault(t => t!["key"]!.GetValue<string>() == key);

    private async Task<JsonNode> ComparedAsync(string key, string from, string to) =>
        (await app.GetJsonAsync($"/api/kpis/comparison?from={from}&to={to}"))["kpis"]!.AsArray()
            .Single(k => k!["key"]!.GetValue<string>() == key)!;

    [Fact]
    public async Task a_target_set_is_listed_replaced_and_deleted()
    {
        await PutAsync("repeatPlansWithin2YearsRate", new { target = 6, direction = "lower" });

        var set = await TargetOf("repeatPlansWithin2YearsRate");
        set.ShouldNotBeNull();
        set["target"]!.GetValue<double>().ShouldBe(6);
        set["limit"].ShouldBeNull();
        set["direction"]!.GetValue<string>().ShouldBe("lower");

        await PutAsync("repeatPlansWithin2YearsRate", new { target = 5, limit = 8, direction = "lower" });
        var replaced = await TargetOf("repeatPlansWithin2YearsRate");
        replaced!["target"]!.GetValue<double>().ShouldBe(5);
        replaced["limit"]!.GetValue<double>().ShouldBe(8);
        (await app.GetJsonAsync("/api/targets")).AsArray().Count(t => t!["key"]!.GetValue<string>() == "repeatPlansWithin2YearsRate").ShouldBe(1);

        using var deleted = await app.Client.DeleteAsync("/api/targets/repeatPlansWithin2YearsRate");
        deleted.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await TargetOf("repeatPlansWithin2YearsRate")).ShouldBeNull();
    }

    [Fact]
    public async Task timeliness_has_the_scorecards_targets_until_the_authority_sets_its_own()
    {
        var preset = await TargetOf("icpcWithin15WorkingDaysRate");
        preset!["target"]!.GetValue<double>().ShouldBe(90);
        preset["limit"]!.GetValue<double>().ShouldBe(80);
        preset["direction"]!.GetValue<string>().ShouldBe("higher");
        (await ComparedAsync("plansReviewedOnTimeRate", "2016-04-01", "2016-06-30"))["target"]!["target"]!.GetValue<double>().ShouldBe(100);

        await PutAsync("icpcWithin15WorkingDaysRate", new { target = 85, direction = "higher" });
        (await TargetOf("icpcWithin15WorkingDaysRate"))!["target"]!.GetValue<double>().ShouldBe(85);

        using var deleted = await app.Client.DeleteAsync("/api/targets/icpcWithin15WorkingDaysRate");
        deleted.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await TargetOf("icpcWithin15WorkingDaysRate"))!["target"]!.GetValue<double>().ShouldBe(90, "the default is back");
    }

    [Fact]
    public async Task deleting_a_target_that_is_not_set_is_not_found()
    {
        using var response = await app.Client.DeleteAsync("/api/targets/icpcRatePer10k");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await CaseFlowApp.ProblemOf(response))["status"]!.GetValue<int>().ShouldBe(404);
    }

    [Fact]
    public async Task a_target_for_an_unknown_kpi_is_refused()
    {
        using var response = await app.Client.PutAsJsonAsync("/api/targets/happiness", new { target = 100, direction = "higher" });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await CaseFlowApp.ProblemOf(response))["detail"]!.GetValue<string>().ShouldContain("'happiness' is not a KPI");
        (await TargetOf("happiness")).ShouldBeNull();
    }

    [Theory]
    [InlineData("sideways")]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("lower,higher")]
    public async Task a_direction_other_than_lower_or_higher_is_refused(string direction)
    {
        using var response = await app.Client.PutAsJsonAsync("/api/targets/icpc", new { target = 10, direction });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await CaseFlowApp.ProblemOf(response))["detail"]!.GetValue<string>().ShouldContain("direction");
        (await TargetOf("icpc")).ShouldBeNull();
    }

    [Fact]
    public async Task a_target_without_a_direction_is_refused()
    {
        using var response = await app.Client.PutAsJsonAsync("/api/targets/icpc", new { target = 10 });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task a_target_without_a_target_value_is_refused()
    {
        using var response = await app.Client.PutAsJsonAsync("/api/targets/icpc", new { limit = 10, direction = "lower" });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("'target' is required");
    }

    [Theory]
    [InlineData(0, 4, "higher")]
    [InlineData(4, 0, "lower")]
    [InlineData(60, 70, "higher")]
    public async Task a_limit_on_the_better_side_of_the_target_is_refused(double target, double limit, string direction)
    {
        using var response = await app.Client.PutAsJsonAsync("/api/targets/s47", new { target, limit, direction });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await CaseFlowApp.ProblemOf(response))["detail"]!.GetValue<string>().ShouldContain("'limit'");
        (await TargetOf("s47")).ShouldBeNull();
    }

    [Fact]
    public async Task a_body_that_is_not_json_is_refused()
    {
        using var content = new StringContent("{ \"target\": ", Encoding.UTF8, "application/json");
        using var response = await app.Client.PutAsync("/api/targets/strategyDiscussions", content);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await TargetOf("strategyDiscussions")).ShouldBeNull();
    }

    [Fact]
    public async Task the_seeds_s47_to_icpc_target_of_60_percent_is_met_by_naseems_family()
    {
        await PutAsync("s47ToIcpcRate", new { target = 60, direction = "higher" });

        var compared = await ComparedAsync("s47ToIcpcRate", "2016-04-01", "2016-06-30");

        compared["value"]!.GetValue<double>().ShouldBe(100);
        compared["target"]!["target"]!.GetValue<double>().ShouldBe(60);
        compared["target"]!["limit"].ShouldBeNull();
        compared["target"]!["direction"]!.GetValue<string>().ShouldBe("higher");
        compared["rag"]!["status"]!.GetValue<string>().ShouldBe("green");
        compared["rag"]!["reason"]!.GetValue<string>().ShouldBe("100 % meets the target of 60 %.");
    }

    [Theory]
    [InlineData("2016-04-01", "2016-06-30", "green", "0 % is within the target of 0 %.")]
    [InlineData("2017-11-01", "2017-11-30", "red", "100 % is above the maximum of 4 % (target 0 %).")]
    [InlineData("2015-04-01", "2016-03-31", "none", "No value for this window.")]
    public async Task the_seeds_plans_over_18_months_target_of_0_with_a_maximum_of_4(string from, string to, string status, string reason)
    {
        await PutAsync("plansOver18MonthsRate", new { target = 0, limit = 4, direction = "lower" });

        var compared = await ComparedAsync("plansOver18MonthsRate", from, to);

        compared["target"]!["limit"]!.GetValue<double>().ShouldBe(4);
        compared["rag"]!["status"]!.GetValue<string>().ShouldBe(status);
        compared["rag"]!["reason"]!.GetValue<string>().ShouldBe(reason);
    }

    [Fact]
    public async Task an_amber_rate_is_near_its_target_without_a_unit()
    {
        // Q1 2016-17: 2 referrals of 45,260 children = 0.44 per 10,000.
        await PutAsync("referralRatePer10k", new { target = 0.3, limit = 0.5, direction = "lower" });

        var compared = await ComparedAsync("referralRatePer10k", "2016-04-01", "2016-06-30");

        compared["rag"]!["status"]!.GetValue<string>().ShouldBe("amber");
        compared["rag"]!["reason"]!.GetValue<string>().ShouldBe("0.4 is above the target of 0.3 but within the maximum of 0.5.");
    }
}
