using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Lscb.CaseFlow.Api.Features.Importing;

namespace Lscb.CaseFlow.Api.Tests.Infrastructure;

/// <summary>
/// The real file formats of <c>shared/data/samples</c>, and copies derived from them in memory (never edited in
/// place), so that a test can always say where its numbers came from.
/// </summary>
public static partial class Samples
{
    public const string OneChild = "data/samples/cin-2022-one-child.xml";
    public const string Census2024 = "data/samples/CIN_Census_2024.xml";
    public const string Census2026 = "data/samples/CIN_Census_2026.xml";
    public const string FakeCensus = "data/samples/fake_CIN_data.xml";
    public const string AnnexA = "data/samples/annex-a-sample.xlsx";

    /// <summary>The day the test app's clock stands at: events after it are refused by the contract.</summary>
    public static readonly DateOnly Today = DateOnly.FromDateTime(CaseFlowApp.Now.UtcDateTime);

    public static byte[] Bytes(string sample) => File.ReadAllBytes(Ce.SharedFile(sample));

    public static XDocument Xml(string sample) => XDocument.Load(Ce.SharedFile(sample));

    /// <summary>The subject this authority's secret gives a local child id (the default tenant of the test app).</summary>
    public static string Subject(string localId) =>
        Pseudonymiser.SubjectOf(Encoding.UTF8.GetBytes(CaseFlowApp.PseudonymisationSecret), localId);

    public static string OtherSubject(string localId) =>
        Pseudonymiser.SubjectOf(Encoding.UTF8.GetBytes(CaseFlowApp.OtherPseudonymisationSecret), localId);

    public static ImportBatch ReadCensus(byte[] xml, int? year = null) =>
        CinCensusReader.Read(new MemoryStream(xml), year, Subject);

    public static ImportBatch ReadAnnexA(byte[] workbook) => AnnexAReader.Read(new MemoryStream(workbook), Subject);

    /// <summary>
    /// The one-child census with every date inside the child's episodes moved on by <paramref name="years"/>: its
    /// dates (1966–1971) are before the contract's earliest (1990-01-01), so as it is nothing of it can be stored.
    /// </summary>
    public static byte[] Shifted(string sample, int years)
    {
        var document = Xml(sample);
        foreach (var date in document.Descendants("CINdetails").Descendants().Where(e => !e.HasElements && IsoDate().IsMatch(e.Value)))
        {
            date.Value = DateOnly.ParseExact(date.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture).AddYears(years).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        return Encoding.UTF8.GetBytes(document.ToString());
    }

    public static async Task<(int Status, JsonNode Body)> ImportAsync(HttpClient client, string format, byte[] file, string? query = null)
    {
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue(format == "cin-census"
            ? "application/xml"
            : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        using var response = await client.PostAsync($"/api/imports/{format}{query}", content);
        var body = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonNode.Parse(body)!);
    }

    /// <summary>Imports a file that must be accepted, and returns the answer.</summary>
    public static async Task<JsonNode> ImportOkAsync(HttpClient client, string format, byte[] file, string? query = null)
    {
        var (status, body) = await ImportAsync(client, format, file, query);
        status.ShouldBe(200, body.ToJsonString());
        return body;
    }

    public static IReadOnlyList<(string Where, string Reason)> Issues(JsonNode answer, string list) =>
        answer[list]!.AsArray().Select(i => (i!["where"]!.GetValue<string>(), i["reason"]!.GetValue<string>())).ToList();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$")]
    private static partial Regex IsoDate();
}

/// <summary>Copies of the Annex A sample with cells changed, written with the Open XML SDK.</summary>
public static class Workbooks
{
    /// <summary>The sample with the given cells replaced: text (an inline string), a number, or "#N/A" (an error cell).</summary>
    public static byte[] Edited(params (string Sheet, string Cell, object Value)[] edits)
    {
        using var copy = new MemoryStream();
        copy.Write(Samples.Bytes(Samples.AnnexA));
        using (var document = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(copy, true))
        {
            var workbook = document.WorkbookPart!;
            foreach (var (sheetName, reference, value) in edits)
            {
                var sheet = workbook.Workbook.Sheets!.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>().Single(s => s.Name == sheetName);
                var part = (DocumentFormat.OpenXml.Packaging.WorksheetPart)workbook.GetPartById(sheet.Id!);
                var cell = part.Worksheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Cell>().Single(c => c.CellReference == reference);
                cell.RemoveAllChildren();
                switch (value)
                {
                    case "#N/A":
                        cell.DataType = DocumentFormat.OpenXml.Spreadsheet.CellValues.Error;
                        cell.CellValue = new DocumentFormat.OpenXml.Spreadsheet.CellValue("#N/A");
                        break;
                    case string text:
                        cell.DataType = DocumentFormat.OpenXml.Spreadsheet.CellValues.InlineString;
                        cell.InlineString = new DocumentFormat.OpenXml.Spreadsheet.InlineString(new DocumentFormat.OpenXml.Spreadsheet.Text(text) { Space = DocumentFormat.OpenXml.SpaceProcessingModeValues.Preserve });
                        break;
                    default:
                        cell.DataType = null;
                        cell.CellValue = new DocumentFormat.OpenXml.Spreadsheet.CellValue(Convert.ToDouble(value, CultureInfo.InvariantCulture));
                        break;
                }
            }

            workbook.Workbook.CalculationProperties = null;
        }

        return copy.ToArray();
    }
}
