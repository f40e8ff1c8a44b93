using Lscb.CaseFlow.Calendar;

namespace Lscb.CaseFlow.Tests.Calendar;

public class WorkingDaysTests
{
    private static int Wd(string a, string b) => WorkingDays.Between(DateOnly.Parse(a, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(b, System.Globalization.CultureInfo.InvariantCulture));

    [Theory]
    [InlineData("2016-04-13", "2016-04-13", 0)] // the same day
    [InlineData("2016-04-14", "2016-04-13", 0)] // backwards
    [InlineData("2016-04-15", "2016-04-18", 1)] // Friday to Monday
    [InlineData("2016-04-17", "2016-04-18", 1)] // a start on a Sunday
    [InlineData("2016-04-16", "2016-04-17", 0)] // Saturday to Sunday
    [InlineData("2016-04-11", "2016-04-18", 5)] // a week
    [InlineData("2016-03-24", "2016-03-29", 1)] // Thursday before Easter to the Tuesday after: Good Friday and Easter Monday
    [InlineData("2016-12-23", "2016-12-28", 1)] // Christmas on a Sunday: Boxing Day Monday, Christmas substitute Tuesday
    [InlineData("2015-12-24", "2015-12-29", 1)] // Christmas on a Friday: Boxing Day's substitute on Monday 28th
    [InlineData("2016-02-26", "2016-03-01", 2)] // across 29 February
    [InlineData("2016-02-28", "2016-02-29", 1)] // to 29 February
    [InlineData("2016-01-01", "2016-12-31", 253)] // a year: 261 weekdays, 8 holidays on weekdays
    public void working_days_count_the_days_after_the_start_up_to_the_end(string a, string b, int expected)
    {
        Wd(a, b).ShouldBe(expected);
    }

    [Fact]
    public void a_long_span_counts_as_the_sum_of_its_parts()
    {
        var a = new DateOnly(1994, 3, 7);
        for (var b = a; b < a.AddYears(12); b = b.AddDays(37))
        {
            var m = a.AddDays((b.DayNumber - a.DayNumber) / 2);
            WorkingDays.Between(a, b).ShouldBe(WorkingDays.Between(a, m) + WorkingDays.Between(m, b), $"{a} to {b}");
            WorkingDays.Between(a, b).ShouldBe(Enumerable.Range(1, b.DayNumber - a.DayNumber).Count(i => WorkingDays.IsWorkingDay(a.AddDays(i))));
        }
    }

    [Theory]
    [InlineData("1995-05-08", "VE Day's 50th anniversary, instead of 1 May")]
    [InlineData("1999-12-31", "Millennium celebrations")]
    [InlineData("2002-06-03", "Queen's Golden Jubilee")]
    [InlineData("2002-06-04", "the spring bank holiday, moved")]
    [InlineData("2011-04-29", "Royal wedding")]
    [InlineData("2012-06-04", "the spring bank holiday, moved")]
    [InlineData("2012-06-05", "Queen's Diamond Jubilee")]
    [InlineData("2020-05-08", "VE Day's 75th anniversary, instead of 4 May")]
    [InlineData("2022-06-02", "the spring bank holiday, moved")]
    [InlineData("2022-06-03", "Queen's Platinum Jubilee")]
    [InlineData("2022-09-19", "State Funeral of Queen Elizabeth II")]
    [InlineData("2023-05-08", "Coronation of King Charles III")]
    public void each_one_off_and_moved_holiday_is_a_holiday(string day, string why)
    {
        BankHolidays.IsHoliday(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture)).ShouldBeTrue(why);
    }

    [Theory]
    [InlineData("1995-05-01")]
    [InlineData("2002-05-27")]
    [InlineData("2012-05-28")]
    [InlineData("2020-05-04")]
    [InlineData("2022-05-30")]
    public void a_moved_holiday_s_regular_day_is_a_working_day(string day)
    {
        WorkingDays.IsWorkingDay(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture)).ShouldBeTrue();
    }

    [Fact]
    public void the_calendar_matches_an_independent_reckoning_of_england_s_bank_holidays()
    {
        // PublicHoliday's UK calendar, year by year; it does not know the millennium holiday, which GOV.UK lists.
        var theirs = new PublicHoliday.UKBankHoliday();
        for (var year = BankHolidays.FirstYear; year <= BankHolidays.LastYear; year++)
        {
            var expected = theirs.PublicHolidays(year).Select(DateOnly.FromDateTime).ToHashSet();
            if (year == 1999)
            {
                expected.Add(new DateOnly(1999, 12, 31));
            }

            BankHolidays.Of(year).ShouldBe(expected.Order().ToList(), $"{year}");
        }
    }

    [Fact]
    public void easter_falls_where_the_church_keeps_it()
    {
        BankHolidays.EasterSunday(2016).ShouldBe(new DateOnly(2016, 3, 27));
        BankHolidays.EasterSunday(2019).ShouldBe(new DateOnly(2019, 4, 21));
        BankHolidays.EasterSunday(2038).ShouldBe(new DateOnly(2038, 4, 25));
    }
}
