using System.Text;
using System.Text.Json.Nodes;
using Lscb.CaseFlow.Api.Tests.Infrastructure;

namespace Lscb.CaseFlow.Api.Tests.Features.Importing;

/// <summary>The Annex A sample imported into a real store: the KPIs and journeys its rows give, once.</summary>
public sealed class AnnexAImportTests(CaseFlowApp app) : IClassFixture<CaseFlowApp>, IAsyncLifetime
{
    private static JsonNode? first;

    public async Task InitializeAsync() => first ??= await Samples.ImportOkAsync(app.Client, "annex-a", Samples.Bytes(Samples.AnnexA));

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task the_sample_is_imported_once_and_what_is_left_out_is_said()
    {
        first!["events"]!.GetValue<int>().ShouldBe(57);
        Samples.Issues(first, "rejected").ShouldBeEmpty();
        Samples.Issues(first, "warnings").Select(w => w.Where).ShouldBe(
            ["List 2", "List 4, row 2", "List 4, row 3", "List 4, row 4", "List 4, row 5", "List 4, row 6", "List 6", "List 9", "List 10", "List 11"]);

        var again = await Samples.ImportOkAsync(app.Client, "annex-a", Samples.Bytes(Samples.AnnexA));

        again["events"]!.GetValue<int>().ShouldBe(0);
        again["duplicates"]!.GetValue<int>().ShouldBe(57);
    }

    [Fact]
    public async Task the_kpis_of_the_inspection_year_are_the_workbook_s_rows()
    {
        // Counted by hand from the workbook: lists 1, 3 and 5 are all dated 2020-09-16 (conferences 2020-10-01 and
        // 2020-10-05 twice); list 7's plans start 2020-04-27 (two), 2020-11-23 and 2021-02-08 (two) in the year and
        // 2019-06-25 (two) before it, and all but the two of 2021-02-08 have ceased by 31 March 2021; list 8's five
        // periods of care began 2008–2014 and one ended 2020-09-22; list 4's assessments began in 2019-20.
        var year = (await app.GetJsonAsync("/api/kpis?from=2020-04-01&to=2021-03-31"))["kpis"]!;
        var before = (await app.GetJsonAsync("/api/kpis?from=2019-04-01&to=2020-03-31"))["kpis"]!;
        double Value(JsonNode kpis, string key) => kpis[key]!["value"]!.GetValue<double>();

        Value(year, "contacts").ShouldBe(5);
        Value(year, "referrals").ShouldBe(6);
        Value(year, "childrenReferred").ShouldBe(6);
        Value(year, "strategyDiscussions").ShouldBe(5);
        Value(year, "s47").ShouldBe(5);
        Value(year, "icpc").ShouldBe(3);
        Value(year, "plansStarted").ShouldBe(5);
        Value(year, "plansCeased").ShouldBe(5);
        Value(year, "childrenOnPlan").ShouldBe(2);
        Value(year, "childrenLookedAfter").ShouldBe(4);
        Value(year, "assessmentsStarted").ShouldBe(0);
        Value(before, "assessmentsStarted").ShouldBe(5);
        Value(before, "plansStarted").ShouldBe(2);
        Value(before, "childrenLookedAfter").ShouldBe(5);
    }

    [Fact]
    public async Task a_child_in_two_lists_has_one_journey()
    {
        // Child 6537810 is in List 3 (referred 2020-09-16 by "s) 8: Other") and in List 5 (S47 the same day,
        // conference 44109 = 2020-10-05, which resulted in a plan).
        var journey = await app.GetJsonAsync($"/api/children/{Samples.Subject("6537810")}/journey");

        journey["events"]!.AsArray().Select(e => $"{e!["occurredOn"]} {e["type"]} {e["data"]!.ToJsonString()}").ShouldBe(
        [
            """2020-09-16 referral {"referralId":"R-20200916","referralSource":"8"}""",
            """2020-09-16 strategy-discussion {"strategyId":"SD-20200916"}""",
            """2020-09-16 s47-started {"s47Id":"S47-20200916"}""",
            """2020-10-05 icpc {"conferenceId":"ICPC-20201005","s47Id":"S47-20200916","outcome":"plan"}""",
        ], ignoreOrder: true);
    }

    [Fact]
    public async Task a_messy_copy_lists_every_row_it_could_not_map_and_imports_the_rest()
    {
        // Another authority, so that the copy's rows do not meet the sample's.
        using var other = app.ClientFor("other-authority");
        var messy = Workbooks.Edited(("List 1", "F3", "#N/A"), ("List 3", "A5", "#N/A"), ("List 7", "M4", "not known"), ("List 3", "F4", "16/09/2020"));

        var answer = await Samples.ImportOkAsync(other, "annex-a", messy);

        Samples.Issues(answer, "rejected").Select(r => r.Where).ShouldBe(["List 1, row 3", "List 3, row 5", "List 7, row 4"]);
        answer["events"]!.GetValue<int>().ShouldBe(57 - 1 - 1 - 1);
        var referral = JsonNode.Parse(await other.GetStringAsync($"/api/children/{Samples.OtherSubject("4653765")}/journey"))!;
        referral["events"]!.AsArray().ShouldHaveSingleItem()!["occurredOn"]!.GetValue<string>().ShouldBe("2020-09-16", "the date typed as text");
    }
}
