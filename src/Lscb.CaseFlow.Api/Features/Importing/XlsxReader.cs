using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using DocumentFormat.OpenXml.Packaging;

namespace Lscb.CaseFlow.Api.Features.Importing;

/// <summary>A cell as stored: its text (shared strings resolved), whether it is a number.</summary>
public readonly record struct XlsxCell(string? Text, bool IsNumber)
{
    public bool IsBlank => string.IsNullOrEmpty(Text);
}

/// <summary>A row of a sheet that holds something: its number and its non-blank cells by column number (1 for A).</summary>
public sealed record XlsxRow(int Number, IReadOnlyDictionary<int, XlsxCell> Cells);

/// <summary>A sheet of the workbook, by name, in the workbook's order.</summary>
public sealed record XlsxSheet(string Name, WorksheetPart? Part);

/// <summary>
/// An .xlsx read as a hostile file: its zip checked against <see cref="ImportLimits"/> before it is opened (entries, and
/// every part's size once unzipped, which the unzipping then holds to), the package opened by the Open XML SDK for its
/// relationships only, and every part that is read (the workbook, the shared strings, each sheet) read forward by
/// <see cref="BoundedXml"/>, one row at a time, never loaded whole. Shared strings are held, capped.
/// </summary>
public sealed partial class XlsxReader : IDisposable
{
    /// <summary>The most characters Excel itself lets a cell hold.</summary>
    private const int MaxCellCharacters = 32_767;

    private const string NotAWorkbookTitle = "Not a workbook";
    private const string MalformedTitle = "Malformed workbook";

    private static readonly string[] RelationshipNamespaces =
        ["http://schemas.openxmlformats.org/officeDocument/2006/relationships", "http://purl.oclc.org/ooxml/officeDocument/relationships"];

    private readonly SpreadsheetDocument _document;
    private readonly ImportLimits _limits;
    private readonly ImportLimits _partLimits;
    private readonly List<string> _strings;

    private XlsxReader(SpreadsheetDocument document, ImportLimits limits, List<string> strings, IReadOnlyList<XlsxSheet> sheets, bool date1904)
    {
        _document = document;
        _limits = limits;
        _partLimits = PartLimits(limits);
        _strings = strings;
        Sheets = sheets;
        Date1904 = date1904;
    }

    public IReadOnlyList<XlsxSheet> Sheets { get; }

    /// <summary>Whether serial dates count from 1904 (old Mac workbooks) rather than 1900.</summary>
    public bool Date1904 { get; }

    public static XlsxReader Open(Stream workbook, ImportLimits limits)
    {
        CheckZip(workbook, limits);
        SpreadsheetDocument document;
        try
        {
            document = SpreadsheetDocument.Open(workbook, false, new OpenSettings { MaxCharactersInPart = limits.MaxPartBytes });
        }
        catch (Exception ex) when (IsPackageFault(ex))
        {
            throw new ImportRefusedException(NotAWorkbookTitle, "The body is not an .xlsx workbook, or its parts do not fit together.");
        }

        try
        {
            var workbookPart = document.WorkbookPart ?? throw new ImportRefusedException(NotAWorkbookTitle, "The workbook has no sheets.");
            var (sheets, date1904) = ReadWorkbook(workbookPart, limits);
            var strings = ReadSharedStrings(workbookPart, limits);
            return new XlsxReader(document, limits, strings, sheets, date1904);
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

    public void Dispose() => _document.Dispose();

    /// <summary>
    /// Runs a whole read of a workbook: the Open XML SDK reads relationships and parts when first asked for, anywhere in
    /// it, so what the package refuses there (a part missing or damaged) is refused here as a damaged workbook.
    /// </summary>
    public static T Guard<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (IsPackageFault(ex))
        {
            throw new ImportRefusedException(MalformedTitle, "The workbook is damaged: one of its parts is missing or cannot be read.");
        }
    }

    /// <summary>The rows of a sheet that hold something, read one at a time; at most <see cref="ImportLimits.MaxRowsPerList"/> rows.</summary>
    public IEnumerable<XlsxRow> Rows(WorksheetPart part, string what)
    {
        using var stream = Guarded(what, () => part.GetStream(FileMode.Open, FileAccess.Read));
        using var reader = BoundedXml.Open(stream, _partLimits, what, _limits.MaxPartBytes);
        var position = 0;
        var rows = 0;
        while (Guarded(what, reader.Read))
        {
            if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "row")
            {
                continue;
            }

            if (++rows > _limits.MaxRowsPerList)
            {
                throw ImportLimitException.TooMany(nameof(ImportLimits.MaxRowsPerList), _limits.MaxRowsPerList,
                    $"{Capitalised(what)} has more than {_limits.MaxRowsPerList:N0} rows, the most one list may hold in an import; split the workbook by date and import each part.");
            }

            position = int.TryParse(reader.GetAttribute("r"), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : position + 1;
            var cells = Guarded(what, () => ReadRow(reader));
            if (cells.Count > 0)
            {
                yield return new XlsxRow(position, cells);
            }
        }
    }

    private static (IReadOnlyList<XlsxSheet> Sheets, bool Date1904) ReadWorkbook(WorkbookPart part, ImportLimits limits)
    {
        const string what = "the workbook's list of sheets";
        using var stream = Guarded(what, () => part.GetStream(FileMode.Open, FileAccess.Read));
        using var reader = BoundedXml.Open(stream, PartLimits(limits), what, limits.MaxPartBytes);
        var sheets = new List<XlsxSheet>();
        var date1904 = false;
        while (Guarded(what, reader.Read))
        {
            if (reader.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            if (reader.LocalName == "workbookPr")
            {
                date1904 = reader.GetAttribute("date1904") is "1" or "true";
            }
            else if (reader.LocalName == "sheet")
            {
                if (sheets.Count >= limits.MaxParts)
                {
                    throw ImportLimitException.TooMany(nameof(ImportLimits.MaxParts), limits.MaxParts,
                        $"The workbook names more than {limits.MaxParts:N0} sheets.");
                }

                var id = RelationshipNamespaces.Select(ns => reader.GetAttribute("id", ns)).FirstOrDefault(v => v is not null);
                sheets.Add(new XlsxSheet(reader.GetAttribute("name") ?? "", id is null ? null : SheetPart(part, id)));
            }
        }

        return (sheets, date1904);
    }

    private static WorksheetPart? SheetPart(WorkbookPart workbook, string id)
    {
        try
        {
            return workbook.GetPartById(id) as WorksheetPart;
        }
        catch (Exception ex) when (ex is ArgumentException or KeyNotFoundException)
        {
            return null;
        }
        catch (Exception ex) when (IsPackageFault(ex))
        {
            // The workbook's relationships are read when first asked for.
            throw new ImportRefusedException(NotAWorkbookTitle, "The workbook's parts do not fit together: its relationships cannot be read.");
        }
    }

    /// <summary>The shared strings, in order: what cells of type <c>s</c> point to. At most <see cref="ImportLimits.MaxSharedStringCharacters"/>.</summary>
    private static List<string> ReadSharedStrings(WorkbookPart workbook, ImportLimits limits)
    {
        const string what = "the workbook's shared strings";
        var strings = new List<string>();
        if (workbook.SharedStringTablePart is not { } part)
        {
            return strings;
        }

        using var stream = Guarded(what, () => part.GetStream(FileMode.Open, FileAccess.Read));
        using var reader = BoundedXml.Open(stream, PartLimits(limits), what, limits.MaxPartBytes);
        long characters = 0;
        Guarded(what, reader.Read);
        while (!reader.EOF)
        {
            if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "si" || reader.Depth != 1)
            {
                Guarded(what, reader.Read);
                continue;
            }

            var text = Guarded(what, () => ReadStringItem(reader));
            // An empty string counts as one, so that millions of them are bounded too.
            characters += Math.Max(1, text.Length);
            if (characters > limits.MaxSharedStringCharacters)
            {
                throw ImportLimitException.TooMany(nameof(ImportLimits.MaxSharedStringCharacters), limits.MaxSharedStringCharacters,
                    $"The workbook's shared strings hold more than {limits.MaxSharedStringCharacters:N0} characters, far more than the lists of an Annex A need.");
            }

            strings.Add(text);
        }

        return strings;
    }

    /// <summary>A row's non-blank cells; the reader is on the row, and is left on its end.</summary>
    private Dictionary<int, XlsxCell> ReadRow(BoundedXmlReader reader)
    {
        var cells = new Dictionary<int, XlsxCell>();
        if (reader.IsEmptyElement)
        {
            return cells;
        }

        var depth = reader.Depth;
        var column = 0;
        reader.Read();
        while (reader.Depth > depth)
        {
            if (reader.NodeType != XmlNodeType.Element)
            {
                reader.Read();
                continue;
            }

            if (reader.LocalName != "c" || reader.Depth != depth + 1)
            {
                reader.Skip();
                continue;
            }

            var letters = reader.GetAttribute("r") is { } reference ? ColumnLetters().Match(reference).Value : null;
            column = letters is { Length: > 0 } ? ColumnNumber(letters) : column + 1;
            var type = reader.GetAttribute("t");
            var (value, inline) = ReadCell(reader);
            var cell = ValueOf(type, value, inline);
            if (!cell.IsBlank)
            {
                cells[column] = cell;
            }
        }

        return cells;
    }

    /// <summary>A cell's stored value (<c>v</c>) and inline string (<c>is</c>); leaves the reader past the cell.</summary>
    private static (string? Value, string? Inline) ReadCell(BoundedXmlReader reader)
    {
        string? value = null, inline = null;
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return (value, inline);
        }

        var depth = reader.Depth;
        reader.Read();
        while (reader.Depth > depth)
        {
            if (reader.NodeType == XmlNodeType.Element && reader.Depth == depth + 1 && reader.LocalName == "v")
            {
                value = ReadText(reader);
            }
            else if (reader.NodeType == XmlNodeType.Element && reader.Depth == depth + 1 && reader.LocalName == "is")
            {
                inline = ReadStringItem(reader);
            }
            else if (reader.NodeType == XmlNodeType.Element)
            {
                reader.Skip();
            }
            else
            {
                reader.Read();
            }
        }

        reader.Read();
        return (value, inline);
    }

    /// <summary>
    /// A string item (<c>si</c>, or a cell's <c>is</c>): its first <c>t</c>, else its runs' <c>t</c> joined; phonetic
    /// readings (<c>rPh</c>) are not the text. Leaves the reader past the item.
    /// </summary>
    private static string ReadStringItem(BoundedXmlReader reader)
    {
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return "";
        }

        string? text = null;
        StringBuilder? runs = null;
        var depth = reader.Depth;
        reader.Read();
        while (reader.Depth > depth)
        {
            if (reader.NodeType == XmlNodeType.Element && reader.Depth == depth + 1 && reader.LocalName == "t")
            {
                var t = ReadText(reader);
                text ??= t;
            }
            else if (reader.NodeType == XmlNodeType.Element && reader.Depth == depth + 2 && reader.LocalName == "t")
            {
                // A run's text (inside <r>); other elements of a run are its formatting.
                var t = ReadText(reader);
                (runs ??= new StringBuilder()).Append(t);
                if (runs.Length > MaxCellCharacters)
                {
                    throw ImportLimitException.Malformed(nameof(ImportLimits.MaxValueCharacters), MaxCellCharacters,
                        $"A string of the workbook is longer than {MaxCellCharacters:N0} characters, more than Excel lets a cell hold.");
                }
            }
            else if (reader.NodeType == XmlNodeType.Element && !(reader.Depth == depth + 1 && reader.LocalName == "r"))
            {
                reader.Skip();
            }
            else
            {
                reader.Read();
            }
        }

        reader.Read();
        return text ?? runs?.ToString() ?? "";
    }

    /// <summary>The text of the element the reader is on; leaves the reader past it.</summary>
    private static string ReadText(BoundedXmlReader reader)
    {
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return "";
        }

        var depth = reader.Depth;
        string? text = null;
        reader.Read();
        while (reader.Depth > depth)
        {
            if (reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace or XmlNodeType.Whitespace)
            {
                text = text is null ? reader.Value : text + reader.Value;
                if (text.Length > MaxCellCharacters)
                {
                    throw ImportLimitException.Malformed(nameof(ImportLimits.MaxValueCharacters), MaxCellCharacters,
                        $"A cell of the workbook holds more than {MaxCellCharacters:N0} characters, more than Excel lets a cell hold.");
                }

                reader.Read();
            }
            else if (reader.NodeType == XmlNodeType.Element)
            {
                reader.Skip();
            }
            else
            {
                reader.Read();
            }
        }

        reader.Read();
        return text ?? "";
    }

    private XlsxCell ValueOf(string? type, string? raw, string? inline)
    {
        string? text;
        var number = false;
        switch (type)
        {
            case "s":
                text = int.TryParse(raw?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < _strings.Count ? _strings[i] : null;
                break;
            case "inlineStr":
                text = inline;
                break;
            case "e":
                text = null;
                break;
            case "b":
                text = raw?.Trim() == "1" ? "TRUE" : "FALSE";
                break;
            default:
                text = raw;
                number = type is null or "n";
                break;
        }

        text = text is null ? null : Spaces().Replace(text.Replace('\u00A0', ' '), " ").Trim();
        return text is null || ExcelErrors.Contains(text) ? new XlsxCell(null, false) : new XlsxCell(text, number);
    }

    private static readonly HashSet<string> ExcelErrors =
        new(["#N/A", "#N/A N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!", "#GETTING_DATA"], StringComparer.OrdinalIgnoreCase);

    /// <summary>A workbook's parts hold text as long as Excel allows a cell; the other limits are the import's.</summary>
    private static ImportLimits PartLimits(ImportLimits limits) => new()
    {
        MaxDepth = limits.MaxDepth,
        MaxValueCharacters = Math.Max(limits.MaxValueCharacters, MaxCellCharacters),
        MaxNodesPerRecord = limits.MaxNodesPerRecord,
    };

    /// <summary>Runs a read of a part, so that what the parser or the unzipping refuses is named by the part, never quoted.</summary>
    private static T Guarded<T>(string what, Func<T> read) => BoundedXml.Read(what, MalformedTitle, () =>
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (IsPackageFault(ex) && ex is not (XmlException or InvalidDataException))
        {
            throw new ImportRefusedException(MalformedTitle, $"{Capitalised(what)} cannot be read: the workbook is damaged.");
        }
    });

    private static bool IsPackageFault(Exception ex) =>
        ex is OpenXmlPackageException or InvalidDataException or FileFormatException or IOException or ArgumentException
            or InvalidOperationException or NotSupportedException or XmlException or UriFormatException;

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static int ColumnNumber(string letters) => letters.Length > 3 ? int.MaxValue
        : letters.Aggregate(0, (n, c) => (n * 26) + (char.ToUpperInvariant(c) - 'A' + 1));

    [GeneratedRegex("^[A-Za-z]+")]
    private static partial Regex ColumnLetters();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
