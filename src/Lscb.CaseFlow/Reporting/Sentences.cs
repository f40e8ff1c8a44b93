using System.Globalization;

namespace Lscb.CaseFlow.Reporting;

/// <summary>What the analyst compares a KPI with, for one window.</summary>
/// <param name="Annual">The published figure is a rate over a whole year, not comparable with a shorter window's.</param>
/// <param name="IsCount">A count: England's total is no yardstick for one authority, and no decimals are shown.</param>
public sealed record ComparisonFigures(
    double? Value, double? PreviousYear, double? England, double? Neighbours, bool Annual, bool WindowIsAYear, bool IsCount = false);

/// <summary>Plain sentences generated from the numbers, as the seed report words them.</summary>
public static class Sentences
{
    /// <summary>
    /// "Higher than England (548.3) and statistical neighbours (427.6)." Published figures are for a whole year, so
    /// a rate over a shorter window is not compared with them; percentages are.
    /// </summary>
    public static string Compare(ComparisonFigures f)
    {
        if (f.Value is not { } value)
        {
            return "No value for this window.";
        }

        var parts = new List<string>();
        string Show(double v) => f.IsCount ? v.ToString("N0", CultureInfo.InvariantCulture) : N(v);
        if (f.PreviousYear is { } previous)
        {
            parts.Add(value == previous
                ? $"The same as a year earlier ({Show(previous)})."
                : $"{(value > previous ? "Up" : "Down")} from {Show(previous)} a year earlier.");
        }

        if (f.IsCount)
        {
            f = f with { England = null };
        }

        if (f.England is null && f.Neighbours is null)
        {
            return string.Join(' ', parts);
        }

        if (f.Annual && !f.WindowIsAYear)
        {
            parts.Add($"England's published figure ({N(f.England)}) is for a whole year; compare a 12-month window.");
            return string.Join(' ', parts);
        }

        var england = f.England is { } e ? (Relation(value, e), $"England ({Show(e)})") : default;
        var neighbours = f.Neighbours is { } n ? (Relation(value, n), $"statistical neighbours ({Show(n)})") : default;
        parts.Add((england.Item2, neighbours.Item2) switch
        {
            (not null, not null) when england.Item1 == neighbours.Item1 =>
                $"{Capital(england.Item1)} {england.Item2} and {neighbours.Item2}.",
            (not null, not null) => $"{Capital(england.Item1)} {england.Item2}, {neighbours.Item1} {neighbours.Item2}.",
            (not null, null) => $"{Capital(england.Item1)} {england.Item2}.",
            _ => $"{Capital(neighbours.Item1)} {neighbours.Item2}.",
        });
        return string.Join(' ', parts);
    }

    private static string Relation(double value, double other) =>
        Math.Round(value, 1) == Math.Round(other, 1) ? "in line with" : value > other ? "higher than" : "lower than";

    private static string Capital(string s) => char.ToUpperInvariant(s[0]) + s[1..];

    public static string N(double? value) => value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) : "n/a";
}
