using System.Globalization;
using Lscb.CaseFlow.Kpis;

namespace Lscb.CaseFlow.Reporting;

public enum PeriodKind
{
    Month,
    /// <summary>Financial quarters: Q1 is April to June.</summary>
    Quarter,
    /// <summary>Financial years, April to March, as the DfE reports.</summary>
    Year,
}

public sealed record Period(Window Window, string Label);

/// <summary>Consecutive periods covering a range, clipped to it, for trends.</summary>
public static class Periods
{
    public static IReadOnlyList<Period> Covering(Window range, PeriodKind kind)
    {
        var periods = new List<Period>();
        for (var start = StartOf(range.From, kind); start <= range.To;)
        {
            // The last period of the calendar (December 9999) has no next one to end before.
            DateOnly? next = start.Year * 12 + start.Month - 1 + Months(kind) < 10000 * 12 ? start.AddMonths(Months(kind)) : null;
            var end = next?.AddDays(-1) ?? DateOnly.MaxValue;
            var window = new Window(Max(start, range.From), end < range.To ? end : range.To);
            periods.Add(new Period(window, Label(start, kind)));
            if (next is not { } following)
            {
                break;
            }

            start = following;
        }

        return periods;
    }

    /// <summary>The DfE reporting year (ending 31 March) a date falls in.</summary>
    public static int ReportingYearOf(DateOnly date) => date.Month >= 4 ? date.Year + 1 : date.Year;

    private static int Months(PeriodKind kind) => kind switch { PeriodKind.Month => 1, PeriodKind.Quarter => 3, _ => 12 };

    private static DateOnly StartOf(DateOnly date, PeriodKind kind) => kind switch
    {
        PeriodKind.Month => new DateOnly(date.Year, date.Month, 1),
        // Financial quarters start in April, July, October and January.
        PeriodKind.Quarter => new DateOnly(date.Year, (date.Month - 1) / 3 * 3 + 1, 1),
        // Before April of year 1 there is no April to start the financial year in: start at the first date there is.
        _ => ReportingYearOf(date) > 1 ? new DateOnly(ReportingYearOf(date) - 1, 4, 1) : DateOnly.MinValue,
    };

    private static string Label(DateOnly start, PeriodKind kind)
    {
        var year = ReportingYearOf(start);
        var financialYear = $"{year - 1}-{year % 100:D2}";
        return kind switch
        {
            PeriodKind.Month => start.ToString("MMM yyyy", CultureInfo.InvariantCulture),
            PeriodKind.Quarter => $"Q{(start.Month + 8) % 12 / 3 + 1} {financialYear}",
            _ => financialYear,
        };
    }

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;
}
