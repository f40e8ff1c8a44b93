using Microsoft.AspNetCore.Http.HttpResults;
using System.Globalization;
using System.Text;

namespace Lscb.CaseFlow.Api.Http;

/// <summary>Tables as CSV (RFC 4180), for every table-shaped answer with <c>format=csv</c>.</summary>
public static class Csv
{
    public static FileContentHttpResult File(string name, IEnumerable<string> header, IEnumerable<IEnumerable<object?>> rows)
    {
        var text = new StringBuilder();
        // RFC 4180 ends records with CRLF.
        text.Append(string.Join(',', header.Select(Cell))).Append("\r\n");
        foreach (var row in rows)
        {
            text.Append(string.Join(',', row.Select(Cell))).Append("\r\n");
        }

        return TypedResults.File(Encoding.UTF8.GetBytes(text.ToString()), "text/csv; charset=utf-8", name);
    }

    public static bool Wanted(string? format) => string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase);

    private static string Cell(object? value)
    {
        var text = value switch
        {
            null => "",
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            // As everywhere else in the API (an invariant DateOnly would be written MM/dd/yyyy).
            DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };

        // Quote what needs it, and defuse spreadsheet formulas in text.
        if (text.Length > 0 && "=+-@".Contains(text[0], StringComparison.Ordinal) && value is string)
        {
            text = "'" + text;
        }

        return text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : text;
    }
}
