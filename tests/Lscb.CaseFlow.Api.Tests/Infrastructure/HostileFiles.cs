using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Lscb.CaseFlow.Api.Tests.Infrastructure;

/// <summary>
/// Files an attacker would import, and the largest honest ones, built in memory from nothing but the formats: a census
/// of XML, a workbook as a zip of its parts written by hand (so that a part can be anything at all). Used by the reader
/// tests, the import fuzzing, the fault tests (linked) and the benchmark (linked); so it needs nothing of the API.
/// </summary>
public static class HostileFiles
{
    public const string Header = """
        <Header><CollectionDetails><Collection>CIN</Collection><Year>2024</Year><ReferenceDate>2024-03-31</ReferenceDate></CollectionDetails></Header>
        """;

    /// <summary>A census of 2024 holding the given children (each a whole <c>&lt;Child&gt;</c>).</summary>
    public static byte[] Census(params string[] children) =>
        Encoding.UTF8.GetBytes($"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Message>{Header}<Children>{string.Concat(children)}</Children></Message>");

    /// <summary>A valid child: a referral, an assessment started and authorised, and a closure: four events.</summary>
    public static string Child(string localId, int day = 0)
    {
        var referred = new DateOnly(2022, 4, 1).AddDays(day % 300);
        string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return $"<Child><ChildIdentifiers><LAchildID>{localId}</LAchildID><GenderCurrent>1</GenderCurrent></ChildIdentifiers>"
            + "<ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>"
            + $"<CINdetails><CINreferralDate>{D(referred)}</CINreferralDate><ReferralSource>1A</ReferralSource>"
            + $"<CINclosureDate>{D(referred.AddDays(40))}</CINclosureDate><ReasonForClosure>RC8</ReasonForClosure>"
            + $"<Assessments><AssessmentActualStartDate>{D(referred.AddDays(1))}</AssessmentActualStartDate><AssessmentAuthorisationDate>{D(referred.AddDays(30))}</AssessmentAuthorisationDate></Assessments>"
            + "<ReferralNFA>0</ReferralNFA></CINdetails></Child>";
    }

    /// <summary>Valid children until the file is about <paramref name="bytes"/> long or holds <paramref name="maxEvents"/> events.</summary>
    public static byte[] CensusOfSize(long bytes, int maxEvents = int.MaxValue, string prefix = "L")
    {
        var builder = new StringBuilder((int)Math.Min(bytes + 4096, int.MaxValue / 2));
        builder.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Message>").Append(Header).Append("<Children>\n");
        for (var i = 0; builder.Length < bytes - 600 && (i + 1) * 4 <= maxEvents; i++)
        {
            builder.Append(Child(string.Create(CultureInfo.InvariantCulture, $"{prefix}{i}"), i)).Append('\n');
        }

        return Encoding.UTF8.GetBytes(builder.Append("</Children></Message>").ToString());
    }

    /// <summary>One child holding elements nested <paramref name="depth"/> deep (in its personal details).</summary>
    public static byte[] DeepCensus(int depth) => Census(
        "<Child><ChildIdentifiers><LAchildID>DEEP</LAchildID></ChildIdentifiers><ChildCharacteristics>"
        + string.Concat(Enumerable.Repeat("<x>", depth)) + string.Concat(Enumerable.Repeat("</x>", depth))
        + "</ChildCharacteristics><CINdetails><CINreferralDate>2022-04-01</CINreferralDate></CINdetails></Child>");

    /// <summary>One child of <paramref name="elements"/> flat elements: no real child has thousands.</summary>
    public static byte[] WideCensus(int elements) => Census(
        "<Child><ChildIdentifiers><LAchildID>WIDE</LAchildID></ChildIdentifiers><ChildCharacteristics>"
        + string.Concat(Enumerable.Repeat("<x/>", elements)) + "</ChildCharacteristics><CINdetails><CINreferralDate>2022-04-01</CINreferralDate></CINdetails></Child>");

    /// <summary>One child whose id is a single value of <paramref name="characters"/>.</summary>
    public static byte[] LongValueCensus(int characters) => Census(Child(new string('A', characters)));

    /// <summary>"A billion laughs": entities that expand to gigabytes, which a DTD makes possible.</summary>
    public static byte[] EntityExpansionCensus() => Encoding.UTF8.GetBytes("""
        <?xml version="1.0"?>
        <!DOCTYPE Message [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
          <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">]>
        <Message><Children><Child><ChildIdentifiers><LAchildID>&f;</LAchildID></ChildIdentifiers></Child></Children></Message>
        """);

    /// <summary>A workbook's parts, each written by hand.</summary>
    public sealed class Workbook
    {
        private readonly List<(string Name, Action<Stream> Write)> _sheets = [];
        private readonly Dictionary<string, Action<Stream>> _replaced = [];
        private Action<Stream>? _sharedStrings;

        /// <summary>A sheet named <paramref name="name"/> whose <c>sheetData</c> rows <paramref name="writeRows"/> writes.</summary>
        public Workbook Sheet(string name, Action<TextWriter> writeRows)
        {
            _sheets.Add((name, stream =>
            {
                using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16);
                writer.Write("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>");
                writeRows(writer);
                writer.Write("</sheetData></worksheet>");
            }));
            return this;
        }

        /// <summary>A sheet whose whole part is <paramref name="xml"/>, whatever it is.</summary>
        public Workbook RawSheet(string name, string xml)
        {
            _sheets.Add((name, stream => stream.Write(Encoding.UTF8.GetBytes(xml))));
            return this;
        }

        public Workbook SharedStrings(Action<TextWriter> writeItems)
        {
            _sharedStrings = stream =>
            {
                using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16);
                writer.Write("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">");
                writeItems(writer);
                writer.Write("</sst>");
            };
            return this;
        }

        public Workbook RawSharedStrings(string xml)
        {
            _sharedStrings = stream => stream.Write(Encoding.UTF8.GetBytes(xml));
            return this;
        }

        /// <summary>The part at <paramref name="path"/> (such as <c>xl/workbook.xml</c>) replaced by <paramref name="content"/>.</summary>
        public Workbook Replace(string path, string content)
        {
            _replaced[path] = stream => stream.Write(Encoding.UTF8.GetBytes(content));
            return this;
        }

        public byte[] ToBytes(CompressionLevel level = CompressionLevel.Optimal)
        {
            var main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
            var rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
            var parts = new List<(string Path, Action<Stream> Write)>
            {
                ("[Content_Types].xml", Text("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                    + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                    + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
                    + string.Concat(_sheets.Select((_, i) => $"<Override PartName=\"/xl/worksheets/sheet{i + 1}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"))
                    + (_sharedStrings is null ? "" : "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>")
                    + "</Types>")),
                ("_rels/.rels", Text("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                    + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>")),
                ("xl/workbook.xml", Text($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"{main}\" xmlns:r=\"{rel}\"><sheets>"
                    + string.Concat(_sheets.Select((s, i) => $"<sheet name=\"{s.Name}\" sheetId=\"{i + 1}\" r:id=\"rId{i + 1}\"/>")) + "</sheets></workbook>")),
                ("xl/_rels/workbook.xml.rels", Text("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                    + string.Concat(_sheets.Select((_, i) => $"<Relationship Id=\"rId{i + 1}\" Type=\"{rel}/worksheet\" Target=\"worksheets/sheet{i + 1}.xml\"/>"))
                    + (_sharedStrings is null ? "" : $"<Relationship Id=\"rIdS\" Type=\"{rel}/sharedStrings\" Target=\"sharedStrings.xml\"/>")
                    + "</Relationships>")),
            };
            parts.AddRange(_sheets.Select((s, i) => ($"xl/worksheets/sheet{i + 1}.xml", s.Write)));
            if (_sharedStrings is not null)
            {
                parts.Add(("xl/sharedStrings.xml", _sharedStrings));
            }

            using var zipped = new MemoryStream();
            using (var zip = new ZipArchive(zipped, ZipArchiveMode.Create, leaveOpen: true))
            {
                foreach (var (path, write) in parts)
                {
                    using var entry = zip.CreateEntry(path, level).Open();
                    (_replaced.GetValueOrDefault(path) ?? write)(entry);
                }
            }

            return zipped.ToArray();
        }

        private static Action<Stream> Text(string xml) => stream => stream.Write(Encoding.UTF8.GetBytes(xml));
    }

    /// <summary>List 1's headings, as Ofsted's template has them.</summary>
    public const string ContactHeadings =
        "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Child Unique ID</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>Date of Contact</t></is></c>"
        + "<c r=\"C1\" t=\"inlineStr\"><is><t>Contact Source</t></is></c></row>";

    /// <summary>A List 1 row: a contact from the police (shared string 0) on a day of 2020 (an Excel serial).</summary>
    public static void ContactRow(TextWriter writer, int row, string childId)
    {
        var serial = 43831 + (row % 300);
        writer.Write(string.Create(CultureInfo.InvariantCulture,
            $"<row r=\"{row}\"><c r=\"A{row}\" t=\"inlineStr\"><is><t>{childId}</t></is></c><c r=\"B{row}\"><v>{serial}</v></c><c r=\"C{row}\" t=\"s\"><v>0</v></c></row>"));
    }

    /// <summary>A List 3 row: a referral on a day of 2020.</summary>
    public static void ReferralRow(TextWriter writer, int row, string childId)
    {
        var serial = 43831 + (row % 300);
        writer.Write(string.Create(CultureInfo.InvariantCulture,
            $"<row r=\"{row}\"><c r=\"A{row}\" t=\"inlineStr\"><is><t>{childId}</t></is></c><c r=\"B{row}\"><v>{serial}</v></c></row>"));
    }

    public const string ReferralHeadings =
        "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Child Unique ID</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>Date of Referral</t></is></c></row>";

    /// <summary>List 1 with <paramref name="rows"/> contacts (and List 3 with as many referrals, when asked): one event a row.</summary>
    public static byte[] AnnexAOfRows(int rows, bool referrals = false, string prefix = "A") => new Workbook()
        .SharedStrings(w => w.Write("<si><t>q) 6: Police</t></si>"))
        .Sheet("List 1", w =>
        {
            w.Write(ContactHeadings);
            for (var i = 2; i < rows + 2; i++)
            {
                ContactRow(w, i, string.Create(CultureInfo.InvariantCulture, $"{prefix}{i % 100_000}"));
            }
        })
        .Sheet("List 3", w =>
        {
            w.Write(ReferralHeadings);
            for (var i = 2; referrals && i < rows + 2; i++)
            {
                ReferralRow(w, i, string.Create(CultureInfo.InvariantCulture, $"{prefix}{i % 100_000}"));
            }
        })
        .ToBytes();

    /// <summary>A List 1 cell whose content nests <paramref name="depth"/> deep.</summary>
    public static byte[] DeepCellAnnexA(int depth) => new Workbook()
        .Sheet("List 1", w =>
        {
            w.Write(ContactHeadings);
            w.Write("<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is>");
            for (var i = 0; i < depth; i++)
            {
                w.Write("<x>");
            }

            for (var i = 0; i < depth; i++)
            {
                w.Write("</x>");
            }

            w.Write("</is></c></row>");
        })
        .ToBytes();

    /// <summary>A shared string nesting <paramref name="depth"/> deep.</summary>
    public static byte[] DeepSharedStringsAnnexA(int depth) => new Workbook()
        .SharedStrings(w =>
        {
            w.Write("<si>");
            for (var i = 0; i < depth; i++)
            {
                w.Write("<r>");
            }

            for (var i = 0; i < depth; i++)
            {
                w.Write("</r>");
            }

            w.Write("</si>");
        })
        .Sheet("List 1", w => w.Write(ContactHeadings))
        .ToBytes();

    /// <summary>Shared strings of about <paramref name="characters"/> in all, in strings of 30,000: a small zip, a large table.</summary>
    public static byte[] ExpandingSharedStringsAnnexA(long characters) => new Workbook()
        .SharedStrings(w =>
        {
            var one = "<si><t>" + new string('A', 30_000) + "</t></si>";
            for (long written = 0; written < characters; written += 30_000)
            {
                w.Write(one);
            }
        })
        .Sheet("List 1", w => w.Write(ContactHeadings))
        .ToBytes(CompressionLevel.SmallestSize);

    /// <summary>The workbook cut off after <paramref name="keep"/> of its bytes.</summary>
    public static byte[] Truncated(byte[] file, int keep) => file[..Math.Min(keep, file.Length)];
}
