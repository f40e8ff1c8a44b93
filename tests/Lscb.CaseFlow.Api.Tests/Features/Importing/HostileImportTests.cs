using System.IO.Compression;
using System.Text;
using Lscb.CaseFlow.Api.Features.Importing;
using Lscb.CaseFlow.Api.Tests.Infrastructure;

namespace Lscb.CaseFlow.Api.Tests.Features.Importing;

/// <summary>
/// Files made to hurt the readers: each is refused whole, by the limit it goes past or as malformed, named by place and
/// never quoted, and read within bounded depth (no recursion to overflow the stack) and bounded memory.
/// </summary>
public sealed class HostileImportTests
{
    private static ImportBatch Census(byte[] xml, ImportLimits? limits = null) =>
        CinCensusReader.Read(new MemoryStream(xml), null, Samples.Subject, limits);

    private static ImportBatch AnnexA(byte[] workbook, ImportLimits? limits = null) =>
        AnnexAReader.Read(new MemoryStream(workbook), Samples.Subject, limits);

    private static ImportLimitException Limit(Func<ImportBatch> read, string limit)
    {
        var refused = Should.Throw<ImportLimitException>(() => read());
        refused.Limit.ShouldBe($"CaseFlow:Imports:{limit}");
        return refused;
    }

    [Fact]
    public void a_child_nested_a_hundred_thousand_deep_is_refused_by_its_depth_not_by_the_stack()
    {
        var refused = Limit(() => Census(HostileFiles.DeepCensus(100_000)), "MaxDepth");

        refused.Status.ShouldBe(400);
        refused.Message.ShouldContain("more than 32 deep");
        refused.Message.ShouldContain("line ");
    }

    [Fact]
    public void a_child_of_twenty_thousand_elements_is_refused_as_no_child_is_that_large()
    {
        var refused = Limit(() => Census(HostileFiles.WideCensus(20_000)), "MaxNodesPerRecord");

        refused.Message.ShouldStartWith("Child 1 (line ");
    }

    [Fact]
    public void a_value_of_pages_is_refused_and_never_quoted()
    {
        var refused = Limit(() => Census(HostileFiles.LongValueCensus(100_000)), "MaxValueCharacters");

        refused.Message.ShouldNotContain("AAAA");
    }

    [Fact]
    public void entities_are_refused_before_anything_expands()
    {
        var refused = Should.Throw<ImportRefusedException>(() => Census(HostileFiles.EntityExpansionCensus()));

        refused.Title.ShouldBe("Not XML");
        refused.Message.ShouldContain("DTD");
    }

    [Fact]
    public void a_census_cut_short_is_refused_whole_though_its_first_children_were_read()
    {
        var whole = Samples.Bytes(Samples.FakeCensus);

        var refused = Should.Throw<ImportRefusedException>(() => Census(whole[..(whole.Length / 2)]));

        refused.Title.ShouldBe("Not XML");
        refused.Message.ShouldContain("line ");
    }

    [Fact]
    public void a_census_of_more_events_than_an_import_takes_is_refused_before_anything_is_stored()
    {
        var limits = new ImportLimits { MaxEvents = 40 };

        var refused = Limit(() => Census(HostileFiles.CensusOfSize(100_000), limits), "MaxEvents");

        refused.Status.ShouldBe(413);
        Census(HostileFiles.CensusOfSize(100_000, maxEvents: 40), limits).Events.Count.ShouldBe(40);
    }

    [Fact]
    public void a_census_of_many_children_is_read_in_order_with_every_child_named_by_its_place()
    {
        var batch = Census(HostileFiles.CensusOfSize(200_000));

        var children = batch.Events.Count / 4;
        children.ShouldBeGreaterThan(300);
        batch.Events.Select(e => e.Subject).Distinct().Count().ShouldBe(children);
        batch.Events[^1].Record.ShouldStartWith($"Child {children} (line {children + 2}), CINdetails 1");
    }

    [Fact]
    public void an_answer_lists_the_first_thousand_problems_and_counts_the_rest()
    {
        var children = Enumerable.Range(0, 1_500)
            .Select(i => HostileFiles.Child($"X{i}").Replace("<ReferralSource>1A<", "<ReferralSource>ZZ<", StringComparison.Ordinal)).ToArray();

        var batch = Census(HostileFiles.Census(children));

        batch.Rejected.Count.ShouldBe(1_000);
        batch.Rejected.Total.ShouldBe(1_500);
        batch.Rejected[^1].Where.ShouldStartWith("Child 1000 (line 2), CINdetails 1");
        batch.Events.Count.ShouldBe(3_000, "each child's assessment is imported; its episode is not");
    }

    [Fact]
    public void a_cell_nested_a_hundred_thousand_deep_is_refused_by_its_depth()
    {
        var refused = Limit(() => AnnexA(HostileFiles.DeepCellAnnexA(100_000)), "MaxDepth");

        refused.Message.ShouldStartWith("The sheet of List 1 nests");
    }

    [Fact]
    public void shared_strings_nested_a_hundred_thousand_deep_are_refused_by_their_depth()
    {
        var refused = Limit(() => AnnexA(HostileFiles.DeepSharedStringsAnnexA(100_000)), "MaxDepth");

        refused.Message.ShouldStartWith("The workbook's shared strings nest");
    }

    [Fact]
    public void a_small_workbook_whose_shared_strings_unzip_to_a_hundred_million_characters_is_refused_as_it_reads_them()
    {
        var workbook = HostileFiles.ExpandingSharedStringsAnnexA(99_000_000);
        workbook.Length.ShouldBeLessThan(1_000_000);

        var refused = Limit(() => AnnexA(workbook), "MaxSharedStringCharacters");

        refused.Status.ShouldBe(413);
    }

    [Fact]
    public void a_list_of_more_rows_than_an_import_takes_is_refused()
    {
        var limits = new ImportLimits { MaxRowsPerList = 100 };

        var refused = Limit(() => AnnexA(HostileFiles.AnnexAOfRows(100), limits), "MaxRowsPerList");

        refused.Message.ShouldStartWith("The sheet of List 1 has more than 100 rows");
        AnnexA(HostileFiles.AnnexAOfRows(99), limits).Events.Count.ShouldBe(99, "the heading and 99 rows are 100 rows");
    }

    [Fact]
    public void a_workbook_of_more_events_than_an_import_takes_is_refused()
    {
        var limits = new ImportLimits { MaxEvents = 150 };

        Limit(() => AnnexA(HostileFiles.AnnexAOfRows(100, referrals: true), limits), "MaxEvents");
    }

    [Theory]
    [InlineData("sheet", "The sheet of List 1 is not well-formed XML (line 1")]
    [InlineData("shared strings", "The workbook's shared strings is not well-formed XML (line 1")]
    [InlineData("dtd in sheet", "The sheet of List 1 is not well-formed XML")]
    [InlineData("workbook", "The workbook's list of sheets is not well-formed XML")]
    public void a_malformed_part_is_refused_by_its_name_never_quoted(string part, string expected)
    {
        var secret = "SECRET-CELL-TEXT";
        var workbook = new HostileFiles.Workbook();
        workbook = part switch
        {
            "sheet" => workbook.RawSheet("List 1", $"<worksheet><sheetData><row><c><v>{secret}</c></row></sheetData>"),
            "shared strings" => workbook.RawSharedStrings($"<sst><si><t>{secret}</si></sst>").Sheet("List 1", w => w.Write(HostileFiles.ContactHeadings)),
            "dtd in sheet" => workbook.RawSheet("List 1", $"<!DOCTYPE worksheet [<!ENTITY x \"{secret}\">]><worksheet><sheetData/></worksheet>"),
            _ => workbook.Sheet("List 1", w => w.Write(HostileFiles.ContactHeadings)).Replace("xl/workbook.xml", $"<workbook><sheets><sheet name=\"{secret}\"></workbook>"),
        };

        var refused = Should.Throw<ImportRefusedException>(() => AnnexA(workbook.ToBytes()));

        refused.Title.ShouldBe("Malformed workbook");
        refused.Message.ShouldStartWith(expected);
        refused.Message.ShouldNotContain(secret);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(5_000)]
    [InlineData(20_000)]
    public void a_workbook_cut_short_is_refused_as_not_a_workbook(int keep)
    {
        var whole = Samples.Bytes(Samples.AnnexA);

        var refused = Should.Throw<ImportRefusedException>(() => AnnexA(HostileFiles.Truncated(whole, keep)));

        refused.Title.ShouldBe("Not a workbook");
    }

    [Fact]
    public void a_part_whose_zip_entry_says_it_is_smaller_than_it_is_is_read_no_further_than_it_says()
    {
        var honest = HostileFiles.AnnexAOfRows(2_000);
        var lying = WithStatedSize(honest, "xl/worksheets/sheet1.xml", 5_000);

        var refused = Should.Throw<ImportRefusedException>(() => AnnexA(lying));

        refused.Title.ShouldBe("Malformed workbook", "the unzipping stopped at 5,000 bytes, in the middle of the sheet");
    }

    [Fact]
    public void a_zip_of_more_entries_than_a_workbook_has_is_refused_from_its_directory()
    {
        using var zipped = new MemoryStream();
        using (var zip = new ZipArchive(zipped, ZipArchiveMode.Create, leaveOpen: true))
        {
            for (var i = 0; i < 1_500; i++)
            {
                zip.CreateEntry($"x/{i}");
            }
        }

        Limit(() => AnnexA(zipped.ToArray()), "MaxParts");
    }

    [Fact]
    public void parts_that_unzip_past_the_limits_are_refused_before_they_are_read()
    {
        var workbook = HostileFiles.AnnexAOfRows(5_000);

        Limit(() => AnnexA(workbook, new ImportLimits { MaxPartBytes = 100_000 }), "MaxPartBytes");
        Limit(() => AnnexA(workbook, new ImportLimits { MaxExpandedBytes = 100_000 }), "MaxExpandedBytes");
    }

    [Fact]
    public void an_encrypted_workbook_is_refused_with_what_to_do()
    {
        var compoundFile = new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0 };

        var refused = Should.Throw<ImportRefusedException>(() => AnnexA(compoundFile));

        refused.Message.ShouldContain("without a password");
    }

    [Theory]
    [InlineData("[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>")]
    [InlineData("_rels/.rels", "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"/>")]
    [InlineData("xl/_rels/workbook.xml.rels", "<nonsense/>")]
    [InlineData("[Content_Types].xml", "<!DOCTYPE x [<!ENTITY a \"b\">]><Types/>")]
    public void a_workbook_whose_parts_do_not_fit_together_is_refused(string path, string content)
    {
        var workbook = new HostileFiles.Workbook().Sheet("List 1", w => w.Write(HostileFiles.ContactHeadings)).Replace(path, content).ToBytes();

        var refused = Should.Throw<ImportRefusedException>(() => AnnexA(workbook));

        refused.Title.ShouldBeOneOf("Not a workbook", "Malformed workbook");
    }

    [Fact]
    public void a_sheet_whose_relationship_points_nowhere_is_named_and_left_unread()
    {
        var workbook = new HostileFiles.Workbook().Sheet("List 1", w => w.Write(HostileFiles.ContactHeadings))
            .Replace("xl/workbook.xml", "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
                + "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
                + "<sheet name=\"List 1\" sheetId=\"1\" r:id=\"rId1\"/><sheet name=\"List 3\" sheetId=\"2\" r:id=\"rId99\"/></sheets></workbook>")
            .ToBytes();

        var batch = AnnexA(workbook);

        batch.Warnings.ShouldContain(w => w.Where == "Sheet 'List 3'" && w.Reason.Contains("empty one", StringComparison.Ordinal));
    }

    [Fact]
    public void a_workbook_written_by_hand_is_read_as_excel_s_are()
    {
        var batch = AnnexA(HostileFiles.AnnexAOfRows(3, referrals: true));

        batch.Rejected.ShouldBeEmpty();
        batch.Events.Select(e => $"{e.Record}: {e.Type} {e.OccurredOn:yyyy-MM-dd}").ShouldBe(
        [
            "List 1, row 2: contact 2020-01-03", "List 1, row 3: contact 2020-01-04", "List 1, row 4: contact 2020-01-05",
            "List 3, row 2: referral 2020-01-03", "List 3, row 3: referral 2020-01-04", "List 3, row 4: referral 2020-01-05",
        ]);
        batch.Events[0].Data["referralSource"]!.GetValue<string>().ShouldBe("6");
    }

    /// <summary>The zip with one entry's uncompressed size, in its local header and the central directory, stated as <paramref name="size"/>.</summary>
    private static byte[] WithStatedSize(byte[] zip, string entry, uint size)
    {
        var bytes = (byte[])zip.Clone();
        var name = Encoding.UTF8.GetBytes(entry);
        for (var i = 0; i + 46 < bytes.Length; i++)
        {
            var signature = BitConverter.ToUInt32(bytes, i);
            if (signature == 0x04034B50 && bytes.AsSpan(i + 30, name.Length).SequenceEqual(name))
            {
                BitConverter.GetBytes(size).CopyTo(bytes, i + 22);
            }
            else if (signature == 0x02014B50 && bytes.AsSpan(i + 46, name.Length).SequenceEqual(name))
            {
                BitConverter.GetBytes(size).CopyTo(bytes, i + 24);
            }
        }

        return bytes;
    }
}
