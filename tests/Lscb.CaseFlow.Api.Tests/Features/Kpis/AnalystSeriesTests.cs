using System.Net;
using System.Text.Json.Nodes;
using Lscb.CaseFlow.Api.Tests.Infrastructure;

namespace Lscb.CaseFlow.Api.Tests.Features.Kpis;

/// <summary><c>GET /api/kpis/series</c> for Naseem's family: KPIs period by period, each period clipped to the range.</summary>
public sealed class AnalystSeriesTests(CaseFlowApp app) : IClassFixture<CaseFlowApp>, IAsyncLifetime
{
    public Task InitializeAsync() => NaseemFamily.LoadAsync(app);

    public Task DisposeAsync() => Task.CompletedTask;

    private static JsonNode SeriesOf(JsonNode answer, string key) =>
        answer["series"]!.AsArray().Single(s => s!["key"]!.GetValue<string>() == key)!;

    private static IEnumerable<(string From, string To, string Label)> Periods(JsonNode series) =>
        series["points"]!.AsArray().Select(p => (p!["from"]!.GetValue<string>(), p["to"]!.GetValue<string>(), p["label"]!.GetValue<string>()));

    private static IEnumerable<double?> Values(JsonNode series) =>
        series["points"]!.AsArray().Select(p => p!["value"]?.GetValue<double>());

    [Fact]
    public async Task quarters_of_two_financial_years_count_naseems_contacts_where_they_fell()
    {
        var answer = await app.GetJsonAsync("/api/kpis/series?keys=contacts&from=2015-04-01&to=2017-03-31&by=quarter");

        answer["by"]!.GetValue<string>().ShouldBe("quarter");
        answer["from"]!.GetValue<string>().ShouldBe("2015-04-01");
        answer["to"]!.GetValue<string>().ShouldBe("2017-03-31");
        var contacts = SeriesOf(answer, "contacts");
        contacts["title"]!.GetValue<string>().ShouldBe("Contacts");
        contacts["kind"]!.GetValue<string>().ShouldBe("count");
        Periods(contacts).ShouldBe(
        [
            ("2015-04-01", "2015-06-30", "Q1 2015-16"), ("2015-07-01", "2015-09-30", "Q2 2015-16"),
            ("2015-10-01", "2015-12-31", "Q3 2015-16"), ("2016-01-01", "2016-03-31", "Q4 2015-16"),
            ("2016-04-01", "2016-06-30", "Q1 2016-17"), ("2016-07-01", "2016-09-30", "Q2 2016-17"),
            ("2016-10-01", "2016-12-31", "Q3 2016-17"), ("2017-01-01", "2017-03-31", "Q4 2016-17"),
        ]);
        // 11 May 2015, 16 November 2015, Naseem and Tara on 12 April 2016; 1 August 2016 was retracted.
        Values(contacts).ShouldBe([1, 0, 1, 0, 2, 0, 0, 0]);
        contacts["points"]![0]!["numerator"].ShouldBeNull();
    }

    [Fact]
    public async Task months_are_clipped_to_the_range()
    {
        var answer = await app.GetJsonAsync("/api/kpis/series?keys=referrals&from=2016-04-10&to=2016-06-05&by=month");

        answer["by"]!.GetValue<string>().ShouldBe("month");
        Periods(SeriesOf(answer, "referrals")).ShouldBe(
        [
            ("2016-04-10", "2016-04-30", "Apr 2016"),
            ("2016-05-01", "2016-05-31", "May 2016"),
            ("2016-06-01", "2016-06-05", "Jun 2016"),
        ]);
        Values(SeriesOf(answer, "referrals")).ShouldBe([2, 0, 0]);
    }

    [Fact]
    public async Task financial_years_over_four_calendar_years_are_clipped_and_each_is_what_the_kpis_give_for_it()
    {
        var answer = await app.GetJsonAsync("/api/kpis/series?from=2015-01-01&to=2018-12-31&by=year");

        answer["series"]!.AsArray().Count.ShouldBe((await app.GetJsonAsync("/api/kpis?from=2015-01-01&to=2015-01-01"))["kpis"]!.AsObject().Count,
            "every KPI when no keys are given");
        var referralRate = SeriesOf(answer, "referralRatePer10k");
        referralRate["kind"]!.GetValue<string>().ShouldBe("rate");
        Periods(referralRate).ShouldBe(
        [
            ("2015-01-01", "2015-03-31", "2014-15"),
            ("2015-04-01", "2016-03-31", "2015-16"),
            ("2016-04-01", "2017-03-31", "2016-17"),
            ("2017-04-01", "2018-03-31", "2017-18"),
            ("2018-04-01", "2018-12-31", "2018-19"),
        ]);

        foreach (var (from, to, label) in Periods(referralRate))
        {
            var kpis = await app.GetJsonAsync($"/api/kpis?from={from}&to={to}");
            var points = new JsonObject(answer["series"]!.AsArray().Select(s => KeyValuePair.Create(
                s!["key"]!.GetValue<string>(),
                (JsonNode?)s["points"]!.AsArray().Single(p => p!["label"]!.GetValue<string>() == label)!.DeepClone())));
            KpiAssert.Matches(points, kpis["kpis"]!, label);
        }
    }

    [Theory]
    [InlineData("contacts", "by=quarter")]
    [InlineData("referrals", "by=month")]
    [InlineData("s47", "by=year")]
    [InlineData("icpc", "by=quarter")]
    [InlineData("plansStarted", "by=month")]
    [InlineData("plansCeased", "by=year")]
    [InlineData("consentDeclined", "by=quarter")]
    public async Task a_counts_periods_add_up_to_the_whole_ranges_count(string key, string by)
    {
        var answer = await app.GetJsonAsync($"/api/kpis/series?keys={key}&from=2015-01-01&to=2018-12-31&{by}");

        Values(SeriesOf(answer, key)).Sum().ShouldBe(NaseemFamily.KpisOf("2015-01-01", "2018-12-31")[key]!["value"]!.GetValue<double>());
    }

    [Fact]
    public async Task only_the_keys_asked_for()
    {
        var answer = await app.GetJsonAsync("/api/kpis/series?keys=reReferralRate,%20contacts&from=2016-04-01&to=2016-06-30&by=quarter");

        answer["series"]!.AsArray().Select(s => s!["key"]!.GetValue<string>()).ShouldBe(["contacts", "reReferralRate"], ignoreOrder: true);
        var point = SeriesOf(answer, "reReferralRate")["points"]!.AsArray().Single()!;
        point["numerator"]!.GetValue<long>().ShouldBe(1);
        point["denominator"]!.GetValue<long>().ShouldBe(2);
        point["value"]!.GetValue<double>().ShouldBe(50);
    }

    [Fact]
    public async Task at_most_120_periods()
    {
        var tenYears = await app.GetJsonAsync("/api/kpis/series?keys=contacts&from=2000-01-01&to=2009-12-31&by=month");
        SeriesOf(tenYears, "contacts")["points"]!.AsArray().Count.ShouldBe(120);

        using var response = await app.Client.GetAsync("/api/kpis/series?keys=contacts&from=2000-01-01&to=2010-01-31&by=month");
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await CaseFlowApp.ProblemOf(response))["detail"]!.GetValue<string>().ShouldContain("120");
    }

    [Theory]
    [InlineData("keys=contacts,happiness&from=2016-04-01&to=2016-06-30&by=quarter", "'happiness' is not a KPI")]
    [InlineData("keys=contacts&from=2016-04-01&to=2016-06-30&by=week", "'by'")]
    [InlineData("keys=contacts&from=2016-04-01&to=2016-06-30&by=1", "'by'")]
    [InlineData("keys=contacts&from=2016-07-01&to=2016-06-30&by=quarter", "'from'")]
    [InlineData("keys=contacts&to=2016-06-30&by=quarter", "'from'")]
    public async Task an_unknown_key_period_or_window_is_refused(string query, string named)
    {
        using var response = await app.Client.GetAsync($"/api/kpis/series?{query}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await CaseFlowApp.ProblemOf(response))["detail"]!.GetValue<string>().ShouldContain(named);
    }

    [Theory]
    [InlineData("9999-12-01", "9999-12-31", "month")]
    [InlineData("9999-10-01", "9999-12-31", "quarter")]
    [InlineData("0001-01-01", "0001-03-31", "year")]
    public async Task the_first_and_last_dates_of_the_calendar_still_make_a_period(string from, string to, string by)
    {
        var answer = await app.GetJsonAsync($"/api/kpis/series?keys=contacts&from={from}&to={to}&by={by}");

        var point = SeriesOf(answer, "contacts")["points"]!.AsArray().Single()!;
        point["from"]!.GetValue<string>().ShouldBe(from);
        point["to"]!.GetValue<string>().ShouldBe(to);
        point["value"]!.GetValue<double>().ShouldBe(0);
    }
}
