using Lscb.CaseFlow.Api.Features.Importing;
using Lscb.CaseFlow.Api.Tests.Infrastructure;

namespace Lscb.CaseFlow.Api.Tests.Features.Importing;

/// <summary>Ofsted's Annex A as read from the sample workbook and from messier copies of it.</summary>
public sealed class AnnexAReaderTests
{
    [Fact]
    public void the_sample_s_lists_of_the_pathway_become_events_row_by_row()
    {
        var batch = Samples.ReadAnnexA(Samples.Bytes(Samples.AnnexA));

        batch.Rejected.ShouldBeEmpty();
        var rows = batch.Events.GroupBy(e => e.Record).ToDictionary(g => g.Key, g => string.Join(", ", g.Select(e => $"{e.Type} {e.OccurredOn:yyyy-MM-dd}")));
        rows.Keys.Count(k => k.StartsWith("List 1,", StringComparison.Ordinal)).ShouldBe(5);
        rows.Keys.Count(k => k.StartsWith("List 3,", StringComparison.Ordinal)).ShouldBe(6);
        rows.Keys.Count(k => k.StartsWith("List 4,", StringComparison.Ordinal)).ShouldBe(5);
        rows.Keys.Count(k => k.StartsWith("List 5,", StringComparison.Ordinal)).ShouldBe(5);
        rows.Keys.Count(k => k.StartsWith("List 7,", StringComparison.Ordinal)).ShouldBe(7);
        rows.Keys.Count(k => k.StartsWith("List 8,", StringComparison.Ordinal)).ShouldBe(5);

        // Read by hand from the workbook (Excel serials: 44090 = 2020-09-16, 44109 = 2020-10-05, 40031 = 2009-08-06).
        rows["List 1, row 2"].ShouldBe("contact 2020-09-16");
        rows["List 3, row 2"].ShouldBe("referral 2020-09-16");
        rows["List 4, row 2"].ShouldBe("assessment-started 2019-05-16, assessment-completed 2021-02-08");
        rows["List 5, row 3"].ShouldBe("strategy-discussion 2020-09-16, s47-started 2020-09-16, icpc 2020-10-05");
        rows["List 5, row 4"].ShouldBe("strategy-discussion 2020-09-16, s47-started 2020-09-16", "no conference: it was deemed unnecessary");
        rows["List 7, row 2"].ShouldBe("plan-started 2020-11-23, plan-reviewed 2021-02-16, plan-ceased 2021-02-16");
        rows["List 7, row 3"].ShouldBe("plan-started 2021-02-08");
        rows["List 8, row 2"].ShouldBe("lac-started 2009-08-06");
        rows["List 8, row 6"].ShouldBe("lac-started 2008-10-22, lac-ceased 2020-09-22");
    }

    [Fact]
    public void codes_are_read_through_the_workbook_s_habits()
    {
        var batch = Samples.ReadAnnexA(Samples.Bytes(Samples.AnnexA));
        string Data(string record, string type, string field) =>
            batch.Events.Single(e => e.Record == record && e.Type == type).Data[field]!.GetValue<string>();

        Data("List 1, row 2", "contact", "referralSource").ShouldBe("6", "q) 6: Police");
        Data("List 1, row 4", "contact", "referralSource").ShouldBe("1B", "b) 1B: Individual");
        Data("List 3, row 3", "referral", "referralSource").ShouldBe("3D", "j) 3D: Health services");
        Data("List 5, row 2", "icpc", "outcome").ShouldBe("plan");
        Data("List 7, row 2", "plan-started", "category").ShouldBe("PHY", "Physical abuse");
        Data("List 7, row 5", "plan-started", "category").ShouldBe("EMO", "Emotional abuse");
        batch.Events.Single(e => e.Record == "List 8, row 2").Data.ContainsKey("legalStatus")
            .ShouldBeFalse("E1 began a year after the period of care did, so the status the period began with is unknown");
    }

    [Fact]
    public void lists_outside_the_pathway_are_named_as_not_imported()
    {
        var batch = Samples.ReadAnnexA(Samples.Bytes(Samples.AnnexA));

        batch.Warnings.Where(w => !w.Where.Contains(',', StringComparison.Ordinal)).Select(w => w.Where)
            .ShouldBe(["List 2", "List 6", "List 9", "List 10", "List 11"]);
        batch.Warnings.Single(w => w.Where == "List 11").Reason.ShouldContain("adopters");
    }

    [Fact]
    public void every_row_that_cannot_be_mapped_is_listed_with_its_list_and_row()
    {
        var messy = Workbooks.Edited(
            ("List 1", "F3", "#N/A"),
            ("List 1", "G4", "Carrier pigeon"),
            ("List 3", "F4", " 16/09/2020 "),
            ("List 3", "A5", "#N/A"),
            ("List 3", "G6", "Police"),
            ("List 7", "H3", "Unknown"),
            ("List 7", "M4", "not known"),
            ("List 8", "A2", " 1761444\u00A0"),
            ("List 5", "J2", ""));

        var batch = Samples.ReadAnnexA(messy);

        batch.Rejected.Select(r => r.Where).ShouldBe(["List 1, row 3", "List 1, row 4", "List 3, row 5", "List 7, row 3", "List 7, row 4"]);
        batch.Rejected[0].Reason.ShouldContain("'Date of Contact' is empty");
        batch.Rejected[1].Reason.ShouldContain("'Contact Source' \"Carrier pigeon\" is not a known code");
        batch.Rejected[2].Reason.ShouldContain("'Child Unique ID' is empty");
        batch.Rejected[3].Reason.ShouldContain("'Initial Category of Abuse' \"Unknown\" is not a known code");
        batch.Rejected[4].Reason.ShouldContain("'Child Protection Plan End Date' \"not known\" is not a date");
        batch.Events.ShouldNotContain(e => batch.Rejected.Select(r => r.Where).Contains(e.Record));

        batch.Events.Single(e => e.Record == "List 3, row 4").OccurredOn.ShouldBe(new DateOnly(2020, 9, 16), "a date typed as text");
        batch.Events.Single(e => e.Record == "List 3, row 6").Data.ContainsKey("referralSource").ShouldBeFalse();
        batch.Warnings.ShouldContain(w => w.Where == "List 3, row 6" && w.Reason.Contains("\"Police\""));
        batch.Events.Single(e => e.Record == "List 8, row 2").Subject.ShouldBe(Samples.Subject("1761444"), "a number stored as text, with a no-break space");
        batch.Events.Single(e => e.Record == "List 5, row 2" && e.Type == "icpc").Data["outcome"]!.GetValue<string>()
            .ShouldBe("no-plan", "with no answer, the outcome is whether List 7 has a plan of the child starting that day");
    }

    [Fact]
    public void a_list_without_a_column_it_needs_is_rejected_as_a_whole()
    {
        var batch = Samples.ReadAnnexA(Workbooks.Edited(("List 3", "F1", "Something else")));

        batch.Rejected.ShouldHaveSingleItem().ShouldBe(new ImportIssue("List 3, rows 2–7",
            "the list has no column 'Date of Referral'; none of its 6 rows were imported."));
    }

    [Fact]
    public void the_same_child_gets_the_same_subject_in_both_formats()
    {
        var annexA = Samples.ReadAnnexA(Samples.Bytes(Samples.AnnexA));
        var census = Samples.ReadCensus(System.Text.Encoding.UTF8.GetBytes(
            Samples.Xml(Samples.OneChild).ToString().Replace("DfEX0000001", "6537810", StringComparison.Ordinal)));

        census.Events.Select(e => e.Subject).Distinct().ShouldHaveSingleItem()
            .ShouldBe(annexA.Events.Single(e => e.Record == "List 3, row 2").Subject);
    }

    [Fact]
    public void a_file_that_is_no_workbook_is_refused()
    {
        Should.Throw<ImportRefusedException>(() => Samples.ReadAnnexA("PK not really a zip"u8.ToArray())).Title.ShouldBe("Not a workbook");
        Should.Throw<ImportRefusedException>(() => Samples.ReadAnnexA(Samples.Bytes(Samples.OneChild))).Title.ShouldBe("Not a workbook");
    }
}
