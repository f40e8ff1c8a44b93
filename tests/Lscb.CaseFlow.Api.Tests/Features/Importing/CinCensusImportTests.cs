using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Lscb.CaseFlow.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Lscb.CaseFlow.Api.Tests.Features.Importing;

/// <summary>
/// The census samples imported into a real store: journeys, KPIs and the census's rules match what the files hold
/// (counted here from the XML itself), a second import adds nothing, and every record not imported is listed.
/// </summary>
public sealed class CinCensusImportTests(CaseFlowApp app, ITestOutputHelper output) : IClassFixture<CaseFlowApp>
{
    private static readonly XDocument Fake = Samples.Xml(Samples.FakeCensus);

    [Fact]
    public async Task the_332_child_census_is_stored_once_and_its_future_dates_are_listed()
    {
        // What the file holds, counted from the XML: one referral and one no-further-action per episode, a closure
        // per closed episode, a conference per conference date. The contract refuses dates after today.
        var dated = Fake.Descendants("CINdetails").SelectMany(e => new[]
        {
            ("referral", e.Element("CINreferralDate")?.Value), ("referral-nfa", e.Element("CINreferralDate")?.Value),
            ("referral-closed", e.Element("CINclosureDate")?.Value), ("icpc", e.Element("DateOfInitialCPC")?.Value),
        }).Where(x => x.Item2 is not null).Select(x => (Type: x.Item1, On: DateOnly.Parse(x.Item2!, CultureInfo.InvariantCulture))).ToList();
        var future = dated.Where(x => x.On > Samples.Today).ToList();
        dated.Count.ShouldBe(402 + 402 + 252 + 350);
        future.ShouldNotBeEmpty();

        var (first, milliseconds) = await ImportFakeOnceAsync();
        output.WriteLine($"fake_CIN_data.xml (332 children, {dated.Count} events): first import in {milliseconds} ms");

        first["events"]!.GetValue<int>().ShouldBe(dated.Count - future.Count);
        first["duplicates"]!.GetValue<int>().ShouldBe(0);
        var rejected = Samples.Issues(first, "rejected");
        rejected.Count.ShouldBe(future.Count);
        rejected.ShouldAllBe(r => r.Reason.Contains("must not be after today (2026-11-26)"));
        rejected.Select(r => r.Reason.Split(' ')[0]).Order(StringComparer.Ordinal).ShouldBe(future.Select(f => f.Type).Order(StringComparer.Ordinal));
        rejected.ShouldAllBe(r => r.Where.StartsWith("Child ", StringComparison.Ordinal) && r.Where.Contains("CINdetails"));
        milliseconds.ShouldBeLessThan(60_000);

        var clock = Stopwatch.StartNew();
        var second = await Samples.ImportOkAsync(app.Client, "cin-census", Samples.Bytes(Samples.FakeCensus));
        output.WriteLine($"the same file again: {clock.ElapsedMilliseconds} ms");
        using (var other = app.ClientFor("other-authority"))
        {
            clock.Restart();
            (await Samples.ImportOkAsync(other, "cin-census", Samples.Bytes(Samples.FakeCensus)))["events"]!.GetValue<int>().ShouldBe(dated.Count - future.Count);
            output.WriteLine($"into another authority's empty store, warm: {clock.ElapsedMilliseconds} ms");
        }

        second["events"]!.GetValue<int>().ShouldBe(0);
        second["duplicates"]!.GetValue<int>().ShouldBe(dated.Count - future.Count);
        Samples.Issues(second, "rejected").ShouldBe(rejected);
        (await app.ScalarAsync("select count(*) from caseflow.event_keys where source = 'urn:lscb:history'")).ShouldBeGreaterThanOrEqualTo(dated.Count - future.Count);
    }

    [Fact]
    public async Task a_child_with_two_episodes_has_the_journey_the_file_gives_it()
    {
        await ImportFakeOnceAsync();
        var child = Samples.Subject("RND000824303014");

        var journey = await app.GetJsonAsync($"/api/children/{child}/journey");

        // The file: episode 1 referred 2013-10-25 (by the police, 6), conference 2013-12-13, closed 2014-01-01 (RC1);
        // episode 2 referred 2017-10-22 (3A, GP), conference 2017-11-05, still open; both no further action.
        journey["events"]!.AsArray().Select(e => $"{e!["occurredOn"]} {e["type"]} {e["data"]!.ToJsonString()}").ShouldBe(
        [
            """2013-10-25 referral {"referralId":"R-20131025","referralSource":"6"}""",
            """2013-10-25 referral-nfa {"referralId":"R-20131025"}""",
            """2013-12-13 icpc {"conferenceId":"ICPC-20131213","outcome":"no-plan"}""",
            """2014-01-01 referral-closed {"referralId":"R-20131025","reason":"RC1"}""",
            """2017-10-22 referral {"referralId":"R-20171022","referralSource":"3A"}""",
            """2017-10-22 referral-nfa {"referralId":"R-20171022"}""",
            """2017-11-05 icpc {"conferenceId":"ICPC-20171105","outcome":"no-plan"}""",
        ]);
        journey["events"]!.AsArray().ShouldAllBe(e => e!["source"]!.GetValue<string>() == "urn:lscb:history");

        var findings = (await app.GetJsonAsync($"/api/data-quality?childId={child}"))["findings"]!.AsArray();
        findings.Select(f => $"{f!["rule"]} {f["occurredOn"]}").ShouldBe(["dfe-8831 2013-12-13", "dfe-8831 2017-11-05"],
            "every referral of this file is marked no further action, yet has a conference");
    }

    [Fact]
    public async Task the_kpis_of_a_year_count_what_the_file_holds()
    {
        await ImportFakeOnceAsync();
        var from = new DateOnly(2020, 4, 1);
        var to = new DateOnly(2021, 3, 31);
        var children = Fake.Descendants("Child").Select(c => (Id: c.Element("ChildIdentifiers")!.Element("LAchildID")!.Value,
            Referrals: c.Elements("CINdetails").Select(e => DateOnly.Parse(e.Element("CINreferralDate")!.Value, CultureInfo.InvariantCulture)).ToList(),
            Conferences: c.Elements("CINdetails").Select(e => e.Element("DateOfInitialCPC")?.Value).OfType<string>()
                .Select(d => DateOnly.Parse(d, CultureInfo.InvariantCulture)).ToList())).ToList();
        var referrals = children.SelectMany(c => c.Referrals.Where(d => d >= from && d <= to).Select(d => (c, d))).ToList();
        var reReferrals = referrals.Count(r => r.c.Referrals.Any(o => o < r.d && o >= r.d.AddMonths(-12)));

        var kpis = (await app.GetJsonAsync($"/api/kpis?from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}"))["kpis"]!;

        kpis["referrals"]!["value"]!.GetValue<double>().ShouldBe(referrals.Count);
        kpis["childrenReferred"]!["value"]!.GetValue<double>().ShouldBe(referrals.Select(r => r.c.Id).Distinct().Count());
        kpis["reReferralRate"]!["numerator"]!.GetValue<double>().ShouldBe(reReferrals);
        kpis["icpc"]!["value"]!.GetValue<double>().ShouldBe(children.Sum(c => c.Conferences.Count(d => d >= from && d <= to)));
        referrals.Count.ShouldBeGreaterThan(10, "a window with something in it");
    }

    [Fact]
    public async Task every_conference_on_a_referral_taken_no_further_is_a_finding_of_rule_8831()
    {
        await ImportFakeOnceAsync();
        var fakeChildren = Fake.Descendants("LAchildID").Select(i => Samples.Subject(i.Value)).ToHashSet();
        var storedConferences = Fake.Descendants("CINdetails").Select(e => e.Element("DateOfInitialCPC")?.Value).OfType<string>()
            .Count(d => DateOnly.Parse(d, CultureInfo.InvariantCulture) <= Samples.Today);

        var findings = (await app.GetJsonAsync("/api/data-quality?rule=dfe-8831&limit=1000"))["findings"]!.AsArray();

        findings.Count(f => fakeChildren.Contains(f!["childId"]!.GetValue<string>())).ShouldBe(storedConferences);
        findings.First()!["message"]!.GetValue<string>().ShouldStartWith("Activity is recorded against a case marked as a referral with no further action (DfE 8831)");
    }

    [Fact]
    public async Task the_census_files_with_deliberate_errors_import_what_is_valid_and_list_the_rest()
    {
        var answer = await Samples.ImportOkAsync(app.Client, "cin-census", Samples.Bytes(Samples.Census2024));

        answer["events"]!.GetValue<int>().ShouldBe(14);
        Samples.Issues(answer, "rejected").ShouldHaveSingleItem().Where.ShouldBe("Child 1 (line 18), CINdetails 1 (line 34), Assessments 1 (line 41)");
        Samples.Issues(answer, "warnings").Select(w => w.Where).ShouldContain("Child 1 (line 18), ChildIdentifiers/Sex");

        // The 2026 file repeats the same children and records (with pre-proceedings, which are not imported): as next
        // year's census repeats open episodes, nothing is added twice.
        var again = await Samples.ImportOkAsync(app.Client, "cin-census", Samples.Bytes(Samples.Census2026));
        again["events"]!.GetValue<int>().ShouldBe(0);
        again["duplicates"]!.GetValue<int>().ShouldBe(14);
        Samples.Issues(again, "warnings").ShouldContain(w => w.Where.EndsWith("PreProceedingsandFGDM", StringComparison.Ordinal));

        // The census's rules, read by hand from the file: child 1's S47 conference (2022-06-17) and plan (2022-02-17)
        // are dated before its referral (2022-10-06), the plan starts on no conference date, and it ceased
        // (2023-03-14) after the case was closed (2023-02-27). Child 2's assessment (2023-12-25) precedes its referral.
        (await RulesOf(Samples.Subject("DfEX0000001"))).ShouldBe(
            ["dfe-1104 2022-06-17", "dfe-1105 2022-02-17", "dfe-2885 2022-02-17", "dfe-8565 2023-03-14"], ignoreOrder: true);
        (await RulesOf(Samples.Subject("child_fails_assessments"))).ShouldBe(["dfe-1103 2023-12-25"]);
    }

    [Fact]
    public async Task the_one_child_census_is_dated_before_1990_so_every_event_is_listed_and_none_stored()
    {
        var before = await app.StoredEventCountAsync();
        var answer = await Samples.ImportOkAsync(app.Client, "cin-census", Samples.Bytes(Samples.OneChild));

        answer["events"]!.GetValue<int>().ShouldBe(0);
        var rejected = Samples.Issues(answer, "rejected");
        rejected.Count.ShouldBe(12);
        rejected.ShouldAllBe(r => r.Reason.Contains("must not be before 1990-01-01") && r.Reason.EndsWith("Not imported.", StringComparison.Ordinal));
        rejected.Select(r => r.Reason.Split(' ')[0]).Distinct().Order(StringComparer.Ordinal).ShouldBe(
        [
            "assessment-completed", "assessment-started", "cin-plan-ceased", "cin-plan-started", "icpc", "plan-ceased", "plan-reviewed",
            "plan-started", "referral", "referral-closed", "s47-started",
        ]);
        (await app.StoredEventCountAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task the_one_child_census_moved_into_this_century_gives_every_module_s_events_and_the_rules_they_break()
    {
        // Another authority (its own tenant and secret), so that this child is not the 2024 file's child.
        using var other = app.ClientFor("other-authority");
        var answer = await Samples.ImportOkAsync(other, "cin-census", Samples.Shifted(Samples.OneChild, 52));
        answer["events"]!.GetValue<int>().ShouldBe(12);
        Samples.Issues(answer, "rejected").ShouldBeEmpty();

        var child = Samples.OtherSubject("DfEX0000001");
        var journey = JsonNode.Parse(await other.GetStringAsync($"/api/children/{child}/journey"))!;
        journey["events"]!.AsArray().Select(e => $"{e!["occurredOn"]} {e["type"]}").ShouldBe(
        [
            "2022-02-17 plan-started", "2022-06-02 s47-started", "2022-06-03 assessment-started", "2022-06-17 icpc",
            "2022-10-06 referral", "2022-12-06 icpc", "2023-01-24 cin-plan-started", "2023-01-26 cin-plan-ceased",
            "2023-02-15 plan-reviewed", "2023-02-27 referral-closed", "2023-03-14 plan-ceased", "2023-07-18 assessment-completed",
        ]);
        journey["status"]!["onPlan"]!.GetValue<bool>().ShouldBeFalse();

        var findings = JsonNode.Parse(await other.GetStringAsync($"/api/data-quality?childId={child}"))!["findings"]!.AsArray()
            .Select(f => $"{f!["rule"]} {f["occurredOn"]}");
        findings.ShouldBe(
        [
            "dfe-1103 2022-06-03", "dfe-1104 2022-06-17", "dfe-1105 2022-02-17", "dfe-2885 2022-02-17",
            "dfe-8565 2023-03-14", "dfe-8565 2023-07-18",
        ], ignoreOrder: true);
        (await app.GetJsonAsync($"/api/data-quality?childId={child}"))["total"]!.GetValue<int>().ShouldBe(0, "another authority's child");
    }

    private async Task<List<string>> RulesOf(string child) =>
        [.. (await app.GetJsonAsync($"/api/data-quality?childId={child}"))["findings"]!.AsArray().Select(f => $"{f!["rule"]} {f["occurredOn"]}")];

    private static readonly SemaphoreSlim Once = new(1, 1);
    private static (JsonNode Answer, long Milliseconds)? first;

    /// <summary>The fake census imported once into this class's store (tests may run in any order), with how long it took.</summary>
    private async Task<(JsonNode Answer, long Milliseconds)> ImportFakeOnceAsync()
    {
        await Once.WaitAsync();
        try
        {
            if (first is null)
            {
                var clock = Stopwatch.StartNew();
                var answer = await Samples.ImportOkAsync(app.Client, "cin-census", Samples.Bytes(Samples.FakeCensus));
                first = (answer, clock.ElapsedMilliseconds);
            }

            return first.Value;
        }
        finally
        {
            Once.Release();
        }
    }
}
