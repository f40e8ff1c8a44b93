using System.Globalization;

namespace Lscb.CaseFlow.Api.Http;

/// <summary>The one way a date is read from the wire, in a body or a query: a real calendar date written YYYY-MM-DD.</summary>
public static class IsoDates
{
    public static bool TryParseDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}
