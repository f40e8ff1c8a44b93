using System.Text.Json.Nodes;
using Lscb.CaseFlow.Api.Tests.Infrastructure;

namespace Lscb.CaseFlow.Api.Tests.Features.Kpis;

/// <summary>
/// The edges of each definition, end to end. Each test has a database of its own (no population configured),
/// so the window's answer holds only the events the test sent.
/// </summary>
public sealed class KpiBoundaryTests : IAsyncLifetime
{
    private readonly CaseFlowApp _app = new();

    public Task InitializeAsync() => _app.InitializeAsync();

    public Task DisposeAsync() => _app.DisposeAsync();

    [Theory]
    [InlineData("2015-04-13", true)]
    [InlineData("2015-04-12", false)]
    public async Task a_previous_referral_exactly_12_months_earlier_counts_and_a_day_more_does_not(string previous, bool reReferral)
    {
        var child = Ce.Subject();
        await _app.IngestAsync(Ce.Batch(Ce.Referral(child, previous, "R-1"), Ce.Referral(child, "2016-04-13", "R-2")));

        var kpis = await Kpis("2016-04-01", "2016-06-30");

        Ratio(kpis, "reReferralRate").ShouldBe((reReferral ? 1 : 0, 1));
    }

    [Theory]
    [InlineData("2015-02-28", true)]
    [InlineData("2015-02-27", false)]
    public async Task a_re_referral_on_29_february_looks_back_to_28_february(string previous, bool reReferral)
    {
        var child = Ce.Subject();
        await _app.IngestAsync(Ce.Batch(Ce.Referral(child, previous, "R-1"), Ce.Referral(child, "2016-02-29", "R-2")));

        var kpis = await Kpis("2016-02-29", "2016-02-29");

        Ratio(kpis, "reReferralRate").ShouldBe((reReferral ? 1 : 0, 1));
    }

    [Theory]
    [InlineData("2018-02-28", 1)]
    [InlineData("2018-02-27", 0)]
    public async Task a_plan_reaching_18_months_exactly_on_to_is_over_18_months(string to, int over)
    {
        var child = Ce.Subject();
        await _app.IngestAsync(Ce.Batch(Ce.PlanStarted(child, "2016-08-31", "P-1")));

        var kpis = await Kpis("2018-01-01", to);

        // 2016-08-31 + 18 months = 2018-02-28: clamped to the end of February.
        Ratio(kpis, "plansOver18MonthsRate").ShouldBe((over, 1));
    }

    [Fact]
    public async Task a_plan_reaches_18_months_on_the_same_day_of_the_month()
    {
        var child = Ce.Subject();
        await _app.IngestAsync(Ce.Batch(Ce.PlanStarted(child, "2015-01-10", "P-1")));

        Ratio(await Kpis("2016-07-01", "2016-07-10"), "plansOver18MonthsRate").ShouldBe((1, 1));
        Ratio(await Kpis("2016-07-01", "2016-07-09"), "plansOver18MonthsRate").ShouldBe((0, 1));
    }

    [Theory]
    [InlineData("2018-05-04", 1)]
    [InlineData("2018-05-03", 0)]
    public async Task a_plan_lasting_exactly_2_years_lasted_2_years(string ceased, int lasted)
    {
        var child = Ce.Subject();
        await _app.IngestAsync(Ce.Batch(Ce.PlanStarted(child, "2016-05-04", "P-1"), Ce.PlanCeased(child, ceased, "P-1")));

        Ratio(await Kpis("2018-04-01", "2018-06-30"), "plansCeasedLasting2YearsRate").ShouldBe((lasted, 1));
    }

    [Fact]
    public async Task a_plan_ceasing_on_to_is_not_open_at_to_but_is_open_the_day_before()
    {
        var child = Ce.Subject();
        await _app.IngestAsync(Ce.Batch(Ce.PlanStarted(child, "2016-05-04", "P-1"), Ce.PlanCeased(child, "2016-06-30", "P-1")));

        (await Kpis("2016-04-01", "2016-06-30"))["childrenOnPlan"]!["value"]!.GetValue<int>().ShouldBe(0);
        (await Kpis("2016-04-01", "2016-06-29"))["childrenOnPlan"]!["value"]!.GetValue<int>().ShouldBe(1);
        (await Kpis("2016-04-01", "2016-06-30"))["plansCeased"]!["value"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact]
    public async Task a_plan_within_2_years_of_a_cease_is_a_repeat_within_2_years()
    {
        var child = Ce.Subject();
        await _app.IngestAsync(Ce.Batch(
            Ce.PlanStarted(child, "2014-01-01", "P-1"), Ce.PlanCeased(child, "2014-06-30", "P-1"),
            Ce.PlanStarted(child, "2016-06-30", "P-2"), Ce.PlanCeased(child, "2016-09-01", "P-2"),
            Ce.PlanStarted(child, "2018-09-02", "P-3")));

        var first = await Kpis("2016-06-30", "2016-06-30");
        Ratio(first, "repeatPlansRate").ShouldBe((1, 1));
        Ratio(first, "repeatPlansWithin2YearsRate").ShouldBe((1, 1));

        var second = await Kpis("2018-09-01", "2018-09-30");
        Ratio(second, "repeatPlansRate").ShouldBe((1, 1));
        Ratio(second, "repeatPlansWithin2YearsRate").ShouldBe((0, 1));
    }

    [Fact]
    public async Task a_short_break_episode_is_not_looked_after_but_an_episode_without_status_is()
    {
        await _app.IngestAsync(Ce.Batch(
            Ce.Event("lac-started", Ce.Subject(), "2016-01-10", ("episodeId", "L-1"), ("legalStatus", "V3")),
            Ce.Event("lac-started", Ce.Subject(), "2016-01-10", ("episodeId", "L-1"), ("legalStatus", "V4")),
            Ce.Event("lac-started", Ce.Subject(), "2016-01-10", ("episodeId", "L-1")),
            Ce.Event("lac-started", Ce.Subject(), "2016-01-10", ("episodeId", "L-1"), ("legalStatus", "C2"))));

        (await Kpis("2016-04-01", "2016-06-30"))["childrenLookedAfter"]!["value"]!.GetValue<int>().ShouldBe(2);
    }

    [Fact]
    public async Task with_no_population_configured_every_rate_is_null()
    {
        await _app.IngestAsync(Ce.Batch(Ce.Referral(Ce.Subject(), "2016-04-13", "R-1")));

        var answer = await _app.GetJsonAsync("/api/kpis?from=2016-04-01&to=2016-06-30");

        answer["population"].ShouldBeNull();
        foreach (var rate in new[] { "referralRatePer10k", "s47RatePer10k", "icpcRatePer10k", "childrenOnPlanRatePer10k", "childrenLookedAfterRatePer10k" })
        {
            answer["kpis"]![rate]!["value"].ShouldBeNull(rate);
            answer["kpis"]![rate]!["denominator"].ShouldBeNull(rate);
        }

        answer["kpis"]!["referralRatePer10k"]!["numerator"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact]
    public async Task a_contacts_decision_counts_whatever_its_date_but_a_later_contact_does_not()
    {
        var child = Ce.Subject();
        await _app.IngestAsync(Ce.Batch(
            Ce.Contact(child, "2016-06-30", "CT-1"),
            Ce.Event("mash-decision", child, "2016-07-02", ("contactId", "CT-1"), ("decision", "section-47")),
            Ce.Contact(child, "2016-07-01", "CT-2")));

        Ratio(await Kpis("2016-04-01", "2016-06-30"), "contactsToAssessmentOrS47Rate").ShouldBe((1, 1));
    }

    [Fact]
    public async Task retracting_an_event_gives_the_answer_of_never_sending_it()
    {
        var child = Ce.Subject();
        var mistaken = Ce.Referral(child, "2016-01-10", "R-1");
        await _app.IngestAsync(Ce.Batch(mistaken, Ce.Referral(child, "2016-04-13", "R-2")));
        Ratio(await Kpis("2016-04-01", "2016-06-30"), "reReferralRate").ShouldBe((1, 1));

        await _app.IngestAsync(Ce.Batch(Ce.Retraction(child, "2020-01-01", mistaken["id"]!.GetValue<string>())));

        Ratio(await Kpis("2016-04-01", "2016-06-30"), "reReferralRate").ShouldBe((0, 1));
        (await Kpis("2016-01-01", "2016-01-31"))["referrals"]!["value"]!.GetValue<int>().ShouldBe(0);
    }

    private async Task<JsonNode> Kpis(string from, string to) =>
        (await _app.GetJsonAsync($"/api/kpis?from={from}&to={to}"))["kpis"]!;

    private static (int, int) Ratio(JsonNode kpis, string key) =>
        (kpis[key]!["numerator"]!.GetValue<int>(), kpis[key]!["denominator"]!.GetValue<int>());
}
