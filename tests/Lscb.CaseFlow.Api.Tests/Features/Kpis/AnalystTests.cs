using System.Net;
using System.Text.Json.Nodes;
using Lscb.CaseFlow.Api.Features.Reference;
using Lscb.CaseFlow.Api.Tests.Infrastructure;

namespace Lscb.CaseFlow.Api.Tests.Features.Kpis;

/// <summary>
/// <c>GET /api/kpis/comparison</c> for Naseem's family: every KPI of the window beside the same window a year
/// earlier, the DfE's published figures for Solihull (appsettings), the local target and a sentence.
/// </summary>
public sealed class AnalystTests(CaseFlowApp app) : IClassFixture<CaseFlowApp>, IAsyncLifetime
{
    private const string Q1 = "from=2016-04-01&to=2016-06-30";

    private static readonly DfeBenchmarks Dfe = DfeBenchmarks.Load();

    public Task InitializeAsync() => NaseemFamily.LoadAsync(app);

    public Task DisposeAsync() => Task.CompletedTask;

    private static JsonNode Kpi(JsonNode comparison, string key) =>
        comparison["kpis"]!.AsArray().Single(k => k!["key"]!.GetValue<string>() == key)!;

    /// <summary>The comparison's KPIs keyed as <c>/api/kpis</c> keys them, with the current or the previous year's figures.</summary>
    private static JsonObject Figures(JsonNode comparison, Func<JsonNode, JsonNode> figures) => new(
        comparison["kpis"]!.AsArray().Select(k => KeyValuePair.Create(k!["key"]!.GetValue<string>(), (JsonNode?)new JsonObject
        {
            ["numerator"] = figures(k)["numerator"]?.DeepClone(),
            ["denominator"] = figures(k)["denominator"]?.DeepClone(),
            ["value"] = figures(k)["value"]?.DeepClone(),
        })));

    [Fact]
    public async Task every_kpi_is_there_in_order_with_its_title_kind_and_naseems_figures()
    {
        var comparison = await app.GetJsonAsync($"/api/kpis/comparison?{Q1}");
        var kpis = await app.GetJsonAsync($"/api/kpis?{Q1}");

        comparison["from"]!.GetValue<string>().ShouldBe("2016-04-01");
        comparison["to"]!.GetValue<string>().ShouldBe("2016-06-30");
        comparison["kpis"]!.AsArray().Select(k => k!["key"]!.GetValue<string>())
            .ShouldBe(kpis["kpis"]!.AsObject().Select(k => k.Key));
        foreach (var kpi in comparison["kpis"]!.AsArray())
        {
            kpi!["title"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
            kpi["summary"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
            kpi["kind"]!.GetValue<string>().ShouldBeOneOf("count", "percentage", "rate");
            kpi["sentence"].ShouldNotBeNull();
        }

        Kpi(comparison, "contacts")["kind"]!.GetValue<string>().ShouldBe("count");
        Kpi(comparison, "reReferralRate")["kind"]!.GetValue<string>().ShouldBe("percentage");
        Kpi(comparison, "referralRatePer10k")["kind"]!.GetValue<string>().ShouldBe("rate");
        Kpi(comparison, "referralRatePer10k")["title"]!.GetValue<string>().ShouldBe("Referral rate per 10,000 children");
        KpiAssert.Matches(Figures(comparison, k => k), NaseemFamily.KpisOf("2016-04-01", "2016-06-30"), "comparison of Q1 2016-17");
    }

    [Fact]
    public async Task a_year_earlier_is_the_same_dates_and_gives_what_the_kpis_give_for_them()
    {
        var comparison = await app.GetJsonAsync($"/api/kpis/comparison?{Q1}");
        var yearEarlier = await app.GetJsonAsync("/api/kpis?from=2015-04-01&to=2015-06-30");

        comparison["previousWindow"]!["from"]!.GetValue<string>().ShouldBe("2015-04-01");
        comparison["previousWindow"]!["to"]!.GetValue<string>().ShouldBe("2015-06-30");
        KpiAssert.Matches(Figures(comparison, k => k["previousYear"]!), yearEarlier["kpis"]!, "a year earlier");
        Kpi(comparison, "contacts")["previousYear"]!["value"]!.GetValue<double>().ShouldBe(1, "Naseem's contact of 11 May 2015");
        Kpi(comparison, "referralRatePer10k")["previousYear"]!["denominator"]!.GetValue<long>().ShouldBe(45200, "mid-2015");
    }

    [Fact]
    public async Task the_authority_is_solihull_in_the_west_midlands_reporting_in_the_year_ending_march_2017()
    {
        var comparison = await app.GetJsonAsync($"/api/kpis/comparison?{Q1}");

        comparison["authority"]!["laCode"]!.GetValue<string>().ShouldBe("334");
        comparison["authority"]!["name"]!.GetValue<string>().ShouldBe("Solihull");
        comparison["authority"]!["region"]!.GetValue<string>().ShouldBe("West Midlands");
        comparison["reportingYear"]!.GetValue<int>().ShouldBe(2017);
        comparison["benchmarkYear"]!.GetValue<int>().ShouldBe(2017);
        comparison["population"]!.GetValue<long>().ShouldBe(45260);
        comparison["populationYear"]!.GetValue<int>().ShouldBe(2016);
    }

    [Fact]
    public async Task the_dfe_publishes_a_referral_rate_for_england_the_region_solihull_and_its_neighbours_and_nothing_for_contacts()
    {
        var comparison = await app.GetJsonAsync($"/api/kpis/comparison?{Q1}");
        var dfe = Dfe.For("referralRatePer10k", "334", 2017)!;

        var published = Kpi(comparison, "referralRatePer10k")["published"]!;
        published["measure"]!.GetValue<string>().ShouldStartWith("Referrals per 10,000 children");
        published["annual"]!.GetValue<bool>().ShouldBeTrue();
        published["england"]!.GetValue<double>().ShouldBe(dfe.England!.Value);
        published["england"]!.GetValue<double>().ShouldBe(553.6, 0.05, "646,120 referrals over 11,671,521 children (mid-2016)");
        published["region"]!.GetValue<double>().ShouldBe(dfe.Region!.Value);
        published["authority"]!.GetValue<double>().ShouldBe(dfe.Authority!.Value);
        published["neighbours"]!["count"]!.GetValue<int>().ShouldBe(10);
        published["neighbours"]!["median"]!.GetValue<double>().ShouldBe(dfe.Neighbours!.Median!.Value);
        published["neighbours"]!["mean"]!.GetValue<double>().ShouldBe(dfe.Neighbours.Mean!.Value);
        Kpi(comparison, "contacts")["published"].ShouldBeNull();
        Kpi(comparison, "reReferralsAfterConsentDeclinedRate")["published"].ShouldBeNull();
    }

    [Fact]
    public async Task a_quarters_rate_is_not_compared_with_englands_year_but_a_percentage_is()
    {
        var comparison = await app.GetJsonAsync($"/api/kpis/comparison?{Q1}");
        var reReferrals = Dfe.For("reReferralRate", "334", 2017)!;

        var rate = Kpi(comparison, "referralRatePer10k")["sentence"]!.GetValue<string>();
        rate.ShouldBe($"Up from 0.0 a year earlier. England's published figure ({Dfe.For("referralRatePer10k", "334", 2017)!.England:0.0}) is for a whole year; compare a 12-month window.");

        Kpi(comparison, "reReferralRate")["sentence"]!.GetValue<string>()
            .ShouldStartWith($"Higher than England ({reReferrals.England:0.0})");
    }

    [Fact]
    public async Task a_financial_years_rate_is_compared_with_england_and_neighbours()
    {
        var comparison = await app.GetJsonAsync("/api/kpis/comparison?from=2015-04-01&to=2016-03-31");
        var dfe = Dfe.For("referralRatePer10k", "334", 2016)!;

        comparison["reportingYear"]!.GetValue<int>().ShouldBe(2016);
        comparison["benchmarkYear"]!.GetValue<int>().ShouldBe(2016);
        KpiAssert.Matches(Figures(comparison, k => k), NaseemFamily.KpisOf("2015-04-01", "2016-03-31"), "2015-16");
        // No population applies to 2014-15, so there is no rate a year earlier to compare with.
        Kpi(comparison, "referralRatePer10k")["previousYear"]!["value"].ShouldBeNull();
        Kpi(comparison, "referralRatePer10k")["sentence"]!.GetValue<string>().ShouldBe(
            $"Lower than England ({dfe.England:0.0}) and statistical neighbours ({dfe.Neighbours!.Mean:0.0}).");
    }

    [Fact]
    public async Task a_count_is_compared_with_a_year_earlier_and_never_with_england()
    {
        var comparison = await app.GetJsonAsync($"/api/kpis/comparison?{Q1}");

        Kpi(comparison, "contacts")["sentence"]!.GetValue<string>().ShouldBe("Up from 1 a year earlier.");
        var onPlan = Kpi(comparison, "childrenOnPlan");
        onPlan["published"]!["england"].ShouldNotBeNull("the DfE publishes England's children on a plan");
        onPlan["sentence"]!.GetValue<string>().ShouldStartWith("Up from 0 a year earlier. Lower than statistical neighbours (");
        onPlan["sentence"]!.GetValue<string>().ShouldNotContain("England");
    }

    [Fact]
    public async Task without_a_target_there_is_no_rag_status()
    {
        var comparison = await app.GetJsonAsync($"/api/kpis/comparison?{Q1}");

        var contacts = Kpi(comparison, "contacts");
        contacts["target"].ShouldBeNull();
        contacts["rag"]!["status"]!.GetValue<string>().ShouldBe("none");
        contacts["rag"]!["reason"]!.GetValue<string>().ShouldBe("No local target.");
    }

    [Theory]
    [InlineData("from=2016-04-01")]
    [InlineData("from=2016-07-01&to=2016-06-30")]
    [InlineData("from=2016-04-01&to=2016-06-31")]
    [InlineData("from=0001-01-01&to=0001-03-31")]
    public async Task a_window_it_cannot_compare_is_refused(string query)
    {
        using var response = await app.Client.GetAsync($"/api/kpis/comparison?{query}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await CaseFlowApp.ProblemOf(response))["status"]!.GetValue<int>().ShouldBe(400);
    }
}
