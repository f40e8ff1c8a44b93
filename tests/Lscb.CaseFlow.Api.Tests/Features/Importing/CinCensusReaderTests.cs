using System.Text;
using System.Xml.Linq;
using Lscb.CaseFlow.Api.Features.Importing;
using Lscb.CaseFlow.Api.Tests.Infrastructure;

namespace Lscb.CaseFlow.Api.Tests.Features.Importing;

/// <summary>The census as read from the sample files: checked against its year's schema, mapped module by module.</summary>
public sealed class CinCensusReaderTests
{
    [Fact]
    public void the_one_child_census_maps_every_module_to_its_events()
    {
        var batch = Samples.ReadCensus(Samples.Bytes(Samples.OneChild));

        batch.Rejected.ShouldBeEmpty();
        batch.Warnings.ShouldBeEmpty("the file is valid under the 2022 schema once 'false' is read as 0");
        var subject = Samples.Subject("DfEX0000001");
        batch.Events.ShouldAllBe(e => e.Subject == subject);
        var events = batch.Events.Select(e => $"{e.Type} {e.OccurredOn:yyyy-MM-dd} {e.Data.ToJsonString()}").ToList();
        events.ShouldBe(
        [
            """referral 1970-10-06 {"referralId":"R-19701006","referralSource":"1A"}""",
            """referral-closed 1971-02-27 {"referralId":"R-19701006","reason":"RC1"}""",
            """icpc 1970-12-06 {"conferenceId":"ICPC-19701206","outcome":"no-plan"}""",
            """assessment-started 1970-06-03 {"assessmentId":"A-19700603"}""",
            """assessment-completed 1971-07-18 {"assessmentId":"A-19700603","factors":["2A","2B"]}""",
            """cin-plan-started 1971-01-24 {"cinPlanId":"CINP-19710124"}""",
            """cin-plan-ceased 1971-01-26 {"cinPlanId":"CINP-19710124"}""",
            """s47-started 1970-06-02 {"s47Id":"S47-19700602"}""",
            """icpc 1970-06-17 {"conferenceId":"ICPC-19700617","s47Id":"S47-19700602","outcome":"no-plan"}""",
            """plan-started 1970-02-17 {"planId":"CPP-19700217","category":"PHY"}""",
            """plan-reviewed 1971-02-15 {"planId":"CPP-19700217"}""",
            """plan-ceased 1971-03-14 {"planId":"CPP-19700217"}""",
        ]);
    }

    [Fact]
    public void ids_are_derived_from_the_record_never_from_the_local_id_and_nothing_personal_is_read()
    {
        var batch = Samples.ReadCensus(Samples.Bytes(Samples.OneChild));
        var subject = Samples.Subject("DfEX0000001");

        batch.Events.Select(e => e.Id).ShouldBeUnique();
        batch.Events.Single(e => e.Type == "referral").Id.ShouldBe($"referral:{subject}:1970-10-06:1");
        batch.Events.Single(e => e.Type == "plan-ceased").Id.ShouldBe($"plan-ceased:{subject}:1970-02-17:1", "an ending is known by its record's start");
        var everything = string.Join("\n", batch.Events.Select(e => $"{e.Id} {e.Subject} {e.Record} {e.Data.ToJsonString()}"));
        foreach (var personal in new[] { "DfEX0000001", "DFEX0000001", "A123456789123", "X98765432123B", "1966-03-24", "1980-10-08", "WBRI", "HAND" })
        {
            everything.ShouldNotContain(personal, Case.Insensitive);
        }
    }

    [Fact]
    public void the_2024_file_s_invalid_assessment_is_rejected_whole_and_its_personal_details_only_named()
    {
        var batch = Samples.ReadCensus(Samples.Bytes(Samples.Census2024));

        var rejected = batch.Rejected.ShouldHaveSingleItem();
        rejected.Where.ShouldBe("Child 1 (line 18), CINdetails 1 (line 34), Assessments 1 (line 41)");
        rejected.Reason.ShouldContain("2024 schema");
        rejected.Reason.ShouldContain("'RB'");
        batch.Events.ShouldNotContain(e => e.Type.StartsWith("assessment", StringComparison.Ordinal) && e.Subject == Samples.Subject("DfEX0000001"));

        // Sex (the 2025 element) is no part of the 2024 schema; it is never imported, and never quoted.
        batch.Warnings.Select(w => w.Where).ShouldContain("Child 1 (line 18), ChildIdentifiers/Sex");
        batch.Warnings.Select(w => w.Where).ShouldContain("Child 2 (line 73), ChildIdentifiers/Sex");
        batch.Warnings.ShouldAllBe(w => !w.Reason.Contains("2015-03-27") && !w.Reason.Contains("A123456789123"));
    }

    [Fact]
    public void an_empty_list_of_factors_is_read_as_none_rather_than_losing_the_assessment()
    {
        var batch = Samples.ReadCensus(Samples.Bytes(Samples.Census2024));
        var child = Samples.Subject("child_fails_assessments");

        batch.Events.Where(e => e.Subject == child).Select(e => $"{e.Type} {e.OccurredOn:yyyy-MM-dd}").ShouldBe(
        [
            "referral 2024-10-24", "referral-closed 2024-10-29", "assessment-started 2023-12-25", "assessment-completed 2024-01-27",
        ]);
    }

    [Fact]
    public void the_schema_is_the_reference_date_s_year_unless_the_caller_names_another()
    {
        // CIN_Census_2026.xml says Year 2023 and ReferenceDate 2024-03-31, and holds the 2026 return's pre-proceedings.
        var as2024 = Samples.ReadCensus(Samples.Bytes(Samples.Census2026));
        var as2026 = Samples.ReadCensus(Samples.Bytes(Samples.Census2026), year: 2026);

        as2024.Warnings.Select(w => w.Where).ShouldContain("Child 2 (line 85), ChildIdentifiers/Sex", "'M' is the 2025 code, not the 2024 one");
        as2026.Warnings.Select(w => w.Where).ShouldNotContain("Child 2 (line 85), ChildIdentifiers/Sex");
        as2026.Warnings.Select(w => w.Where).ShouldContain("Child 1 (line 18), ChildIdentifiers/Sex", "'1' is not a 2026 code");
        foreach (var batch in new[] { as2024, as2026 })
        {
            var preProceedings = batch.Warnings.Single(w => w.Where.EndsWith("CINdetails/PreProceedingsandFGDM", StringComparison.Ordinal));
            preProceedings.Reason.ShouldContain("not imported, and nothing else was left out");
            batch.Events.Count.ShouldBe(14);
        }

        var older = Samples.ReadCensus(Samples.Bytes(Samples.Census2026), year: 2015);
        older.Warnings.ShouldContain(w => w.Where == "Header" && w.Reason.Contains("2021 schema"));
    }

    [Fact]
    public void the_332_child_census_gives_an_event_per_referral_closure_nfa_and_conference()
    {
        var file = Samples.Xml(Samples.FakeCensus);
        var episodes = file.Descendants("CINdetails").ToList();

        var batch = Samples.ReadCensus(Samples.Bytes(Samples.FakeCensus));

        batch.Rejected.ShouldBeEmpty();
        batch.Warnings.ShouldBeEmpty("'true' is read as 1; everything else is valid under the 2022 schema");
        var byType = batch.Events.GroupBy(e => e.Type).ToDictionary(g => g.Key, g => g.Count());
        byType["referral"].ShouldBe(episodes.Count);
        byType["referral-nfa"].ShouldBe(episodes.Count(e => e.Element("ReferralNFA")!.Value == "true"));
        byType["referral-closed"].ShouldBe(episodes.Count(e => e.Element("CINclosureDate") is not null));
        byType["icpc"].ShouldBe(episodes.Count(e => e.Element("DateOfInitialCPC") is not null));
        byType.Keys.Order(StringComparer.Ordinal).ShouldBe(["icpc", "referral", "referral-closed", "referral-nfa"]);
        batch.Events.Select(e => e.Subject).Distinct().Count().ShouldBe(332);
    }

    [Fact]
    public void a_date_the_schema_refuses_rejects_its_module_and_nothing_else()
    {
        var document = Samples.Xml(Samples.OneChild);
        document.Descendants("CPPstartDate").Single().Value = "1970-13-01";

        var batch = Samples.ReadCensus(Encoding.UTF8.GetBytes(document.ToString()));

        var rejected = batch.Rejected.ShouldHaveSingleItem();
        rejected.Where.ShouldStartWith("Child 1 (line ");
        rejected.Where.ShouldContain("ChildProtectionPlans 1");
        rejected.Reason.ShouldContain("none of its events were imported");
        batch.Events.ShouldNotContain(e => e.Type.StartsWith("plan-", StringComparison.Ordinal));
        batch.Events.Count.ShouldBe(9);
    }

    [Fact]
    public void a_child_without_a_local_id_is_rejected_and_named_by_its_place()
    {
        var document = Samples.Xml(Samples.OneChild);
        document.Descendants("LAchildID").Single().Value = " ";

        var batch = Samples.ReadCensus(Encoding.UTF8.GetBytes(document.ToString()));

        batch.Events.ShouldBeEmpty();
        batch.Rejected.ShouldHaveSingleItem().Where.ShouldStartWith("Child 1 (line ");
    }

    [Theory]
    [InlineData("not xml at all", "Not XML")]
    [InlineData("<Message><Nothing/></Message>", "Not a CIN census")]
    [InlineData("<Message><Children><Child/></Children></Message>", "No collection year")]
    [InlineData("<!DOCTYPE Message [<!ENTITY x \"y\">]><Message><Children/></Message>", "Not XML")]
    public void a_file_that_is_no_census_is_refused_as_a_whole(string xml, string title)
    {
        Should.Throw<ImportRefusedException>(() => Samples.ReadCensus(Encoding.UTF8.GetBytes(xml))).Title.ShouldBe(title);
    }

    [Fact]
    public void stray_spaces_and_true_false_are_habits_not_errors()
    {
        var document = Samples.Xml(Samples.OneChild);
        document.Descendants("ReferralSource").Single().Value = " 1A ";
        document.Descendants("ReferralNFA").Single().Value = "TRUE";
        document.Descendants("CINreferralDate").Single().Value = "1970-10-06 ";

        var batch = Samples.ReadCensus(Encoding.UTF8.GetBytes(document.ToString()));

        batch.Rejected.ShouldBeEmpty();
        batch.Events.ShouldContain(e => e.Type == "referral-nfa" && e.OccurredOn == new DateOnly(1970, 10, 6));
        batch.Events.Single(e => e.Type == "referral").Data["referralSource"]!.GetValue<string>().ShouldBe("1A");
    }

    [Fact]
    public void a_conference_on_the_day_a_plan_starts_had_the_plan_as_its_outcome()
    {
        var document = Samples.Xml(Samples.OneChild);
        document.Descendants("CPPstartDate").Single().Value = "1970-06-17";

        var batch = Samples.ReadCensus(Encoding.UTF8.GetBytes(document.ToString()));

        batch.Events.Single(e => e.Type == "icpc" && e.OccurredOn == new DateOnly(1970, 6, 17)).Data["outcome"]!.GetValue<string>().ShouldBe("plan");
        batch.Events.Single(e => e.Type == "icpc" && e.OccurredOn == new DateOnly(1970, 12, 6)).Data["outcome"]!.GetValue<string>().ShouldBe("no-plan");
    }

    [Fact]
    public void the_episode_s_own_conference_is_not_sent_twice_when_an_s47_gives_the_same_one()
    {
        var document = Samples.Xml(Samples.OneChild);
        document.Root!.Descendants("CINdetails").Single().Element("DateOfInitialCPC")!.Value = "1970-06-17";

        var batch = Samples.ReadCensus(Encoding.UTF8.GetBytes(document.ToString()));

        batch.Events.Where(e => e.Type == "icpc").ShouldHaveSingleItem().Data["s47Id"]!.GetValue<string>().ShouldBe("S47-19700602");
    }

    [Fact]
    public void a_shifted_copy_keeps_every_record_and_moves_only_its_dates()
    {
        var shifted = Samples.ReadCensus(Samples.Shifted(Samples.OneChild, 52));
        var original = Samples.ReadCensus(Samples.Bytes(Samples.OneChild));

        shifted.Events.Select(e => (e.Type, e.OccurredOn.AddYears(-52))).ShouldBe(original.Events.Select(e => (e.Type, e.OccurredOn)));
        XDocument.Parse(Encoding.UTF8.GetString(Samples.Shifted(Samples.OneChild, 52))).Descendants("PersonBirthDate").Single().Value
            .ShouldBe("1966-03-24", "only the episodes' dates move");
    }
}
