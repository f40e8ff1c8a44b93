using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DocumentFormat.OpenXml.Packaging;
using Lscb.CaseFlow.Events;

namespace Lscb.CaseFlow.Api.Features.Importing;

/// <summary>
/// Reads Ofsted's Annex A workbook (lists 1–11) one row at a time (<see cref="XlsxReader"/>), and maps the lists of the pathway to events
/// (docs/imports.md): list 1 contacts, 3 referrals, 4 assessments, 5 strategy discussions, S47 enquiries and
/// initial conferences, 7 child protection plans, 8 periods of care. Columns are found by their headings, not
/// their places. Real workbooks' habits are tolerated: "b) Female"-style prefixes, Excel serial dates and dates
/// typed as text, "#N/A", stray and no-break spaces. A row that cannot be mapped is listed with its list and row
/// number, never dropped; names, dates of birth and postcodes are never read.
/// </summary>
public static partial class AnnexAReader
{
    private sealed record Column(string Label, params string[] Headings);

    private static readonly Column ChildId = new("Child Unique ID", "child unique id", "child id", "unique id");

    private static readonly Dictionary<int, string> NotImported = new()
    {
        [2] = "early help assessments: not imported, as the events have no early help assessment (engage-referral is a referral to early help, not its assessment)",
        [6] = "children in need: not imported; a child-in-need episode's referral and closure come from the census (or List 3)",
        [9] = "care leavers: not imported; leaving care is not part of the pathway's events",
        [10] = "children with an adoption decision: not imported; adoption is not part of the pathway's events",
        [11] = "adopters: not imported; they are adults, not children of the pathway",
    };

    /// <summary>A list's sheet: its headings by column, read from its first row that holds anything.</summary>
    private sealed record Sheet(int List, string Name, WorksheetPart Part)
    {
        public Dictionary<int, string> HeadingOf { get; private set; } = [];

        private readonly Dictionary<Column, string?> _found = [];

        /// <summary>The heading a column is read from: one that names it exactly, else one that starts with a name of it.</summary>
        public string? Heading(Column column)
        {
            if (!_found.TryGetValue(column, out var heading))
            {
                heading = _found[column] = HeadingOf.Values.FirstOrDefault(h => column.Headings.Any(a => h == a))
                    ?? HeadingOf.Values.FirstOrDefault(h => column.Headings.Any(a => h.StartsWith(a, StringComparison.Ordinal)));
            }

            return heading;
        }

        /// <summary>Set from the list's first row that holds anything, each time the list is read.</summary>
        public void SetHeadings(Dictionary<int, string> headings)
        {
            HeadingOf = headings;
            _found.Clear();
        }

        public string What => $"the sheet of List {List}";
    }

    /// <summary>A cell as the mapping reads it: its text and whether it is a number.</summary>
    private readonly record struct Cell(string? Text, bool IsNumber)
    {
        public bool IsBlank => string.IsNullOrEmpty(Text);
    }

    public static ImportBatch Read(Stream workbook, Func<string, string> pseudonymise, ImportLimits? limits = null) =>
        XlsxReader.Guard(() => ReadWorkbook(workbook, pseudonymise, limits ?? ImportLimits.Default));

    private static ImportBatch ReadWorkbook(Stream workbook, Func<string, string> pseudonymise, ImportLimits limits)
    {
        // A child is in several lists: one subject each, derived once, held once by all its events.
        var subjects = new Dictionary<string, string>(StringComparer.Ordinal);
        string subjectOf(string id) => subjects.TryGetValue(id, out var subject) ? subject : subjects[id] = pseudonymise(id);
        var batch = new ImportBatch(limits);
        using var xlsx = XlsxReader.Open(workbook, limits);
        var sheets = Lists(xlsx, batch);
        var keys = new RecordKeys();
        var rows = new Rows(batch, xlsx.Date1904);

        // Plans first: a conference whose outcome is not given had a plan when the child's plan started that day.
        var planStarts = new HashSet<(string, DateOnly)>();
        if (sheets.GetValueOrDefault(7) is { } plans)
        {
            foreach (var (_, cells) in RowsOf(xlsx, plans))
            {
                if (rows.Id(plans, cells) is { } id && rows.TryDate(plans, cells, PlanStart, out var on, out _) && on is { } start)
                {
                    planStarts.Add((subjectOf(id), start));
                }
            }
        }

        foreach (var sheet in sheets.Values.OrderBy(s => s.List))
        {
            if (NotImported.TryGetValue(sheet.List, out var why))
            {
                var count = RowsOf(xlsx, sheet).Count();
                if (count > 0)
                {
                    batch.Warnings.Add($"List {sheet.List}", $"{count} rows of {why}.");
                }

                continue;
            }

            Action<RowContext>? map = sheet.List switch
            {
                1 => Contacts,
                3 => Referrals,
                4 => Assessments,
                5 => r => Enquiries(r, planStarts),
                7 => Plans,
                8 => Care,
                _ => null,
            };
            if (map is null)
            {
                batch.Warnings.Add($"List {sheet.List}", $"'{Printable(sheet.Name)}' is not a list of Annex A; not read.");
                continue;
            }

            var read = RowsOf(xlsx, sheet).GetEnumerator();
            using (read)
            {
                var hasRows = read.MoveNext();
                var missing = Required(sheet.List).Where(c => sheet.Heading(c) is null).Select(c => $"'{c.Label}'").ToList();
                if (missing.Count > 0)
                {
                    if (hasRows)
                    {
                        var (first, last, count) = (read.Current.Row, read.Current.Row, 1);
                        while (read.MoveNext())
                        {
                            (last, count) = (read.Current.Row, count + 1);
                        }

                        batch.Rejected.Add($"List {sheet.List}, rows {first}–{last}",
                            $"the list has no column {string.Join(" or ", missing)}; none of its {count} rows were imported.");
                    }

                    continue;
                }

                var label = $"List {sheet.List}, row";
                for (var more = hasRows; more; more = read.MoveNext())
                {
                    var (row, cells) = read.Current;
                    var place = new Place(null, label, row);
                    if (rows.Id(sheet, cells) is not { } id)
                    {
                        batch.Rejected.Add(place.ToString(), $"'{ChildId.Label}' is empty; the row was not imported.");
                        continue;
                    }

                    var context = new RowContext(rows, sheet, cells, place, subjectOf(id), keys);
                    map(context);
                    if (context.Problems.Count > 0)
                    {
                        batch.Rejected.Add(place.ToString(), $"{string.Join("; ", context.Problems)}; the row was not imported.");
                    }
                    else
                    {
                        context.Commit();
                    }
                }
            }
        }

        return batch;
    }

    /// <summary>The sheets that are lists of Annex A (named "List 1" to "List 11"), by list; the others named in warnings.</summary>
    private static Dictionary<int, Sheet> Lists(XlsxReader xlsx, ImportBatch batch)
    {
        var sheets = new Dictionary<int, Sheet>();
        foreach (var sheet in xlsx.Sheets)
        {
            if (ListNumber().Match(sheet.Name) is not { Success: true } m)
            {
                batch.Warnings.Add($"Sheet '{Printable(sheet.Name)}'", "not a list of Annex A (named 'List 1' to 'List 11'); not read.");
                continue;
            }

            var list = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            if (sheets.ContainsKey(list) || sheet.Part is null)
            {
                batch.Warnings.Add($"Sheet '{Printable(sheet.Name)}'", $"a second sheet for List {list}, or an empty one; not read.");
                continue;
            }

            sheets[list] = new Sheet(list, sheet.Name, sheet.Part);
        }

        return sheets;
    }

    /// <summary>
    /// A list's rows after its headings, each with its cells by heading; the first row that holds anything gives the
    /// headings (<see cref="Sheet.HeadingOf"/>). Read again from the sheet each time it is asked for.
    /// </summary>
    private static IEnumerable<(int Row, Dictionary<string, Cell> Cells)> RowsOf(XlsxReader xlsx, Sheet sheet)
    {
        var first = true;
        foreach (var row in xlsx.Rows(sheet.Part, sheet.What))
        {
            if (first)
            {
                sheet.SetHeadings(row.Cells.ToDictionary(c => c.Key, c => Heading(c.Value.Text!)));
                first = false;
                continue;
            }

            var cells = new Dictionary<string, Cell>(StringComparer.Ordinal);
            foreach (var (column, cell) in row.Cells)
            {
                if (sheet.HeadingOf.TryGetValue(column, out var heading))
                {
                    cells.TryAdd(heading, new Cell(cell.Text, cell.IsNumber));
                }
            }

            yield return (row.Number, cells);
        }
    }

    /// <summary>Text of the file as an answer may quote it (a sheet's name, a code that is not one): printable, and short.</summary>
    private static string Printable(string text)
    {
        var printable = new string(text.Where(c => !char.IsControl(c)).Take(64).ToArray());
        return printable.Length < text.Length ? printable + "…" : printable;
    }

    /// <summary>One row being mapped: its problems, and the events it gives once it has none.</summary>
    private sealed class RowContext(Rows rows, Sheet sheet, Dictionary<string, Cell> cells, Place place, string subject, RecordKeys keys)
    {
        private readonly List<ImportedEvent> _pending = [];

        public List<string> Problems { get; } = [];

        public string Subject => subject;

        public DateOnly? RequiredDate(Column column)
        {
            var date = OptionalDate(column);
            if (date is null && !Problems.Any(p => p.StartsWith($"'{column.Label}'", StringComparison.Ordinal)))
            {
                Problems.Add($"'{column.Label}' is empty");
            }

            return date;
        }

        public DateOnly? OptionalDate(Column column)
        {
            if (!rows.TryDate(sheet, cells, column, out var date, out var problem))
            {
                Problems.Add(problem!);
            }

            return date;
        }

        /// <summary>A code read from a cell; when it cannot be read, a problem if required, else left out with a warning.</summary>
        public string? Code(Column column, Func<string, string?> read, bool required)
        {
            var text = rows.Text(sheet, cells, column);
            if (text is null)
            {
                if (required)
                {
                    Problems.Add($"'{column.Label}' is empty");
                }

                return null;
            }

            if (read(text) is { } code)
            {
                return code;
            }

            if (required)
            {
                Problems.Add($"'{column.Label}' \"{Printable(text)}\" is not a known code");
            }
            else
            {
                rows.Batch.Warnings.Add(place.ToString(), $"'{column.Label}' \"{Printable(text)}\" is not a known code; left out, the rest of the row imported.");
            }

            return null;
        }

        public RecordEvents Record(string kind, DateOnly on) => new(_pending.Add, place, keys.Next(subject, kind, on));

        public void Commit() => _pending.ForEach(rows.Batch.Add);
    }

    /// <summary>Reads cells of a list by heading.</summary>
    private sealed class Rows(ImportBatch batch, bool date1904)
    {
        public ImportBatch Batch => batch;

        public string? Id(Sheet sheet, Dictionary<string, Cell> cells) => Text(sheet, cells, ChildId) is { } id
            ? (double.TryParse(id, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n == Math.Floor(n) && Math.Abs(n) < 1e15
                ? ((long)n).ToString(CultureInfo.InvariantCulture)
                : id)
            : null;

        public string? Text(Sheet sheet, Dictionary<string, Cell> cells, Column column) =>
            sheet.Heading(column) is { } heading && cells.TryGetValue(heading, out var cell) && !cell.IsBlank ? cell.Text : null;

        /// <summary>A date: an Excel serial number, or text in a common English form; blank or #N/A is none.</summary>
        public bool TryDate(Sheet sheet, Dictionary<string, Cell> cells, Column column, out DateOnly? date, out string? problem)
        {
            date = null;
            problem = null;
            if (sheet.Heading(column) is not { } heading || !cells.TryGetValue(heading, out var cell) || cell.IsBlank)
            {
                return true;
            }

            var text = cell.Text!;
            if ((cell.IsNumber || DigitsOnly().IsMatch(text))
                && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial) && serial is >= 1 and < 2958466)
            {
                date = date1904 ? new DateOnly(1904, 1, 1).AddDays((int)serial) : new DateOnly(1899, 12, 30).AddDays((int)serial);
                return true;
            }

            if (DateTime.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var parsed))
            {
                date = DateOnly.FromDateTime(parsed);
                return true;
            }

            problem = $"'{column.Label}' \"{Printable(text)}\" is not a date";
            return false;
        }
    }

    private static readonly string[] DateFormats =
    [
        "dd/MM/yyyy", "d/M/yyyy", "dd/MM/yyyy HH:mm", "dd/MM/yyyy HH:mm:ss", "yyyy-MM-dd", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-dd HH:mm:ss",
        "dd-MM-yyyy", "d-M-yyyy", "dd.MM.yyyy", "d.M.yyyy", "d MMM yyyy", "dd MMM yyyy", "d MMMM yyyy", "dd MMMM yyyy", "d-MMM-yyyy", "dd-MMM-yyyy",
    ];

    /// <summary>"q) 6: Police" → <c>6</c>; "j) 3D: Health services" → <c>3D</c>.</summary>
    public static string? ReferralSourceOf(string text)
    {
        var code = WithoutOrdinal(text).Split(':', 2)[0].Trim().ToUpperInvariant();
        code = code.Split(' ', 2)[0];
        return CodeLists.ReferralSources.Contains(code) ? code : null;
    }

    /// <summary>"a) Yes", "Y", "TRUE" → yes; "b) No", "N", "FALSE" → no.</summary>
    public static string? YesNo(string text) => WithoutOrdinal(text).ToLowerInvariant() switch
    {
        "yes" or "y" or "true" or "1" => "yes",
        "no" or "n" or "false" or "0" => "no",
        _ => null,
    };

    /// <summary>"Physical abuse" → <c>PHY</c>; the CIN codes themselves are taken as they are.</summary>
    public static string? CategoryOf(string text)
    {
        var value = WithoutOrdinal(text);
        var upper = value.ToUpperInvariant();
        if (CodeLists.AbuseCategories.Contains(upper))
        {
            return upper;
        }

        var lower = value.ToLowerInvariant();
        return lower.Contains("neglect", StringComparison.Ordinal) ? "NEG"
            : lower.Contains("physical", StringComparison.Ordinal) ? "PHY"
            : lower.Contains("sexual", StringComparison.Ordinal) ? "SAB"
            : lower.Contains("emotional", StringComparison.Ordinal) ? "EMO"
            : lower.Contains("multiple", StringComparison.Ordinal) || lower.Contains("mixed", StringComparison.Ordinal) ? "MUL"
            : null;
    }

    /// <summary>"E1: Placement order" → <c>E1</c>.</summary>
    public static string? LegalStatusOf(string text) =>
        LegalStatusCode().Match(WithoutOrdinal(text)) is { Success: true } m && CodeLists.LegalStatuses.Contains(m.Groups[1].Value.ToUpperInvariant())
            ? m.Groups[1].Value.ToUpperInvariant()
            : null;

    private static void Add(this RecordEvents record, string type, Column column, DateOnly on, JsonObject data, DateOnly? detail = null) =>
        record.Add(type, column.Label, on, data, detail);

    private static string WithoutOrdinal(string text) => Ordinal().Replace(text, "").Trim();

    /// <summary>Headings compared loosely: lower case, straight quotes, single spaces, no trailing '?' or ':'.</summary>
    private static string Heading(string text) =>
        Spaces().Replace(text.Replace('\u2019', '\'').Replace('\u2018', '\'').ToLowerInvariant(), " ").Trim().TrimEnd('?', ':', ' ');

    [GeneratedRegex(@"^\s*list\s*0*(\d{1,2})\b", RegexOptions.IgnoreCase)]
    private static partial Regex ListNumber();

    [GeneratedRegex(@"^[a-z]{1,2}\)\s*", RegexOptions.IgnoreCase)]
    private static partial Regex Ordinal();

    [GeneratedRegex(@"^([A-Za-z]\d)\b")]
    private static partial Regex LegalStatusCode();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"^\d{4,6}(\.\d+)?$")]
    private static partial Regex DigitsOnly();
}
