namespace Lscb.CaseFlow.Calendar;

/// <summary>Working days as kpis.md defines them: Monday to Friday, not a bank holiday in England and Wales.</summary>
public static class WorkingDays
{
    public static bool IsWorkingDay(DateOnly date) =>
        date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !BankHolidays.IsHoliday(date);

    /// <summary>
    /// wd(a, b): the working days d with a &lt; d ≤ b, 0 when b ≤ a. The same day is 0, a Friday to the next Monday 1,
    /// as the DfE counts assessment and conference timeliness.
    /// </summary>
    public static int Between(DateOnly a, DateOnly b)
    {
        if (b <= a)
        {
            return 0;
        }

        // Whole weeks at a time, then the days left, less the holidays on weekdays in (a, b].
        var days = b.DayNumber - a.DayNumber;
        var weekdays = days / 7 * 5;
        for (var d = a.AddDays(days / 7 * 7 + 1); d <= b; d = d.AddDays(1))
        {
            weekdays += d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0 : 1;
        }

        var holidays = 0;
        for (var year = a.Year; year <= b.Year; year++)
        {
            holidays += BankHolidays.Of(year).Count(h => h > a && h <= b && h.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday));
        }

        return weekdays - holidays;
    }
}
