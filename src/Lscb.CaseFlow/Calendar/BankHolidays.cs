namespace Lscb.CaseFlow.Calendar;

/// <summary>
/// The bank holidays of England and Wales, 1990 to 2035, as GOV.UK lists them: the regular ones with their substitute
/// days, and every one-off and moved holiday kpis.md names. Data, not a clock: the same answer on every machine.
/// </summary>
public static class BankHolidays
{
    public const int FirstYear = 1990;
    public const int LastYear = 2035;

    /// <summary>Holidays that were moved, by year: the regular date and the day it was held instead.</summary>
    private static readonly Dictionary<DateOnly, DateOnly> Moved = new()
    {
        [new(1995, 5, 1)] = new(1995, 5, 8),   // early May, to VE Day's 50th anniversary
        [new(2002, 5, 27)] = new(2002, 6, 4),  // spring, for the Golden Jubilee
        [new(2012, 5, 28)] = new(2012, 6, 4),  // spring, for the Diamond Jubilee
        [new(2020, 5, 4)] = new(2020, 5, 8),   // early May, to VE Day's 75th anniversary
        [new(2022, 5, 30)] = new(2022, 6, 2),  // spring, for the Platinum Jubilee
    };

    /// <summary>One-off holidays, each by its name.</summary>
    public static readonly IReadOnlyDictionary<DateOnly, string> OneOff = new Dictionary<DateOnly, string>
    {
        [new(1999, 12, 31)] = "Millennium celebrations",
        [new(2002, 6, 3)] = "Queen's Golden Jubilee",
        [new(2011, 4, 29)] = "Royal wedding",
        [new(2012, 6, 5)] = "Queen's Diamond Jubilee",
        [new(2022, 6, 3)] = "Queen's Platinum Jubilee",
        [new(2022, 9, 19)] = "State Funeral of Queen Elizabeth II",
        [new(2023, 5, 8)] = "Coronation of King Charles III",
    };

    private static readonly IReadOnlyList<DateOnly>[] ByYear =
        [.. Enumerable.Range(FirstYear, LastYear - FirstYear + 1).Select(Compute)];

    private static readonly HashSet<DateOnly> All = [.. ByYear.SelectMany(y => y)];

    /// <summary>Whether a date is a bank holiday. Outside 1990–2035 the regular rules are applied.</summary>
    public static bool IsHoliday(DateOnly date) =>
        date.Year is >= FirstYear and <= LastYear ? All.Contains(date) : Compute(date.Year).Contains(date);

    /// <summary>A year's bank holidays, in date order.</summary>
    public static IReadOnlyList<DateOnly> Of(int year) =>
        year is >= FirstYear and <= LastYear ? ByYear[year - FirstYear] : Compute(year);

    private static IReadOnlyList<DateOnly> Compute(int year)
    {
        var easter = EasterSunday(year);
        List<DateOnly> days =
        [
            Substitute(new DateOnly(year, 1, 1)),
            easter.AddDays(-2),
            easter.AddDays(1),
            FirstMonday(year, 5),
            LastMonday(year, 5),
            LastMonday(year, 8),
            .. Christmas(year),
        ];
        days = [.. days.Select(d => Moved.GetValueOrDefault(d, d)), .. OneOff.Keys.Where(d => d.Year == year)];
        return [.. days.Distinct().Order()];
    }

    /// <summary>Christmas Day and Boxing Day, each moved to the next weekday not taken when it falls at a weekend.</summary>
    private static IEnumerable<DateOnly> Christmas(int year)
    {
        var christmas = new DateOnly(year, 12, 25);
        return christmas.DayOfWeek switch
        {
            DayOfWeek.Friday => [christmas, new(year, 12, 28)],
            DayOfWeek.Saturday => [new(year, 12, 27), new(year, 12, 28)],
            DayOfWeek.Sunday => [new(year, 12, 26), new(year, 12, 27)],
            _ => [christmas, christmas.AddDays(1)],
        };
    }

    private static DateOnly Substitute(DateOnly day) => day.DayOfWeek switch
    {
        DayOfWeek.Saturday => day.AddDays(2),
        DayOfWeek.Sunday => day.AddDays(1),
        _ => day,
    };

    private static DateOnly FirstMonday(int year, int month)
    {
        var first = new DateOnly(year, month, 1);
        return first.AddDays(((int)DayOfWeek.Monday - (int)first.DayOfWeek + 7) % 7);
    }

    private static DateOnly LastMonday(int year, int month)
    {
        var last = new DateOnly(year, month, DateTime.DaysInMonth(year, month));
        return last.AddDays(-(((int)last.DayOfWeek - (int)DayOfWeek.Monday + 7) % 7));
    }

    /// <summary>Easter Sunday in the Gregorian calendar (the anonymous algorithm of 1876).</summary>
    public static DateOnly EasterSunday(int year)
    {
        var a = year % 19;
        var b = year / 100;
        var c = year % 100;
        var d = b / 4;
        var e = b % 4;
        var f = (b + 8) / 25;
        var g = (b - f + 1) / 3;
        var h = ((19 * a) + b - d - g + 15) % 30;
        var i = c / 4;
        var k = c % 4;
        var l = (32 + (2 * e) + (2 * i) - h - k) % 7;
        var m = (a + (11 * h) + (22 * l)) / 451;
        var month = (h + l - (7 * m) + 114) / 31;
        var day = ((h + l - (7 * m) + 114) % 31) + 1;
        return new DateOnly(year, month, day);
    }
}
