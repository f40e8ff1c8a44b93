using System.Globalization;
using Lscb.CaseFlow.Kpis;
using Lscb.CaseFlow.Reporting;
using Lscb.CaseFlow.Tests.Support;

namespace Lscb.CaseFlow.Tests.Reporting;

/// <summary>Financial quarters and years (April to March) and months, covering a range and clipped to it.</summary>
public class PeriodsTests
{
    private static Window Range(string from, string to) => new(A.Day(from), A.Day(to));

    private static IEnumerable<(string From, string To, string Label)> Shown(IEnumerable<Period> periods) =>
        periods.Select(p => (p.Window.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), p.Window.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), p.Label));

    [Fact]
    public void a_financial_year_has_four_quarters_starting_in_april()
    {
        Shown(Periods.Covering(Range("2016-04-01", "2017-03-31"), PeriodKind.Quarter)).ShouldBe(
        [
            ("2016-04-01", "2016-06-30", "Q1 2016-17"),
            ("2016-07-01", "2016-09-30", "Q2 2016-17"),
            ("2016-10-01", "2016-12-31", "Q3 2016-17"),
            ("2017-01-01", "2017-03-31", "Q4 2016-17"),
        ]);
    }

    [Fact]
    public void financial_years_run_april_to_march()
    {
        Shown(Periods.Covering(Range("2015-04-01", "2017-03-31"), PeriodKind.Year)).ShouldBe(
        [
            ("2015-04-01", "2016-03-31", "2015-16"),
            ("2016-04-01", "2017-03-31", "2016-17"),
        ]);
    }

    [Fact]
    public void a_range_inside_quarters_is_clipped_at_both_ends_and_keeps_the_quarters_labels()
    {
        Shown(Periods.Covering(Range("2016-05-15", "2016-08-10"), PeriodKind.Quarter)).ShouldBe(
        [
            ("2016-05-15", "2016-06-30", "Q1 2016-17"),
            ("2016-07-01", "2016-08-10", "Q2 2016-17"),
        ]);
    }

    [Fact]
    public void a_calendar_year_spans_two_financial_years_clipped_to_it()
    {
        Shown(Periods.Covering(Range("2016-01-01", "2016-12-31"), PeriodKind.Year)).ShouldBe(
        [
            ("2016-01-01", "2016-03-31", "2015-16"),
            ("2016-04-01", "2016-12-31", "2016-17"),
        ]);
    }

    [Fact]
    public void months_are_calendar_months_clipped_to_the_range()
    {
        Shown(Periods.Covering(Range("2016-01-15", "2016-03-10"), PeriodKind.Month)).ShouldBe(
        [
            ("2016-01-15", "2016-01-31", "Jan 2016"),
            ("2016-02-01", "2016-02-29", "Feb 2016"),
            ("2016-03-01", "2016-03-10", "Mar 2016"),
        ]);
    }

    [Theory]
    [InlineData(PeriodKind.Month, "Apr 2016")]
    [InlineData(PeriodKind.Quarter, "Q1 2016-17")]
    [InlineData(PeriodKind.Year, "2016-17")]
    public void a_single_day_is_one_period(PeriodKind kind, string label)
    {
        Shown(Periods.Covering(Range("2016-04-13", "2016-04-13"), kind)).ShouldBe([("2016-04-13", "2016-04-13", label)]);
    }

    [Theory]
    [InlineData("2016-12-31", "Q3 2016-17")]
    [InlineData("2017-01-01", "Q4 2016-17")]
    [InlineData("2017-03-31", "Q4 2016-17")]
    [InlineData("2017-04-01", "Q1 2017-18")]
    [InlineData("1999-05-01", "Q1 1999-00")]
    public void quarters_are_named_by_their_financial_year(string day, string label)
    {
        Periods.Covering(Range(day, day), PeriodKind.Quarter).Single().Label.ShouldBe(label);
    }

    [Theory]
    [InlineData("2015-01-01", "2018-12-31", PeriodKind.Month)]
    [InlineData("2015-01-01", "2018-12-31", PeriodKind.Quarter)]
    [InlineData("2015-02-17", "2019-11-03", PeriodKind.Year)]
    [InlineData("2016-03-31", "2016-04-01", PeriodKind.Quarter)]
    public void periods_cover_the_range_without_gap_or_overlap(string from, string to, PeriodKind kind)
    {
        var periods = Periods.Covering(Range(from, to), kind);

        periods[0].Window.From.ShouldBe(A.Day(from));
        periods[^1].Window.To.ShouldBe(A.Day(to));
        for (var i = 1; i < periods.Count; i++)
        {
            periods[i].Window.From.ShouldBe(periods[i - 1].Window.To.AddDays(1));
        }

        periods.Select(p => p.Label).ShouldBeUnique();
    }

    [Fact]
    public void four_years_are_48_months_16_quarters_and_4_financial_years()
    {
        var range = Range("2015-04-01", "2019-03-31");

        Periods.Covering(range, PeriodKind.Month).Count.ShouldBe(48);
        Periods.Covering(range, PeriodKind.Quarter).Count.ShouldBe(16);
        Periods.Covering(range, PeriodKind.Year).Count.ShouldBe(4);
    }

    [Theory]
    [InlineData("0001-01-01", "0001-03-31", PeriodKind.Year, 1)]
    [InlineData("0001-01-01", "0001-12-31", PeriodKind.Quarter, 4)]
    [InlineData("9999-12-01", "9999-12-31", PeriodKind.Month, 1)]
    [InlineData("9999-01-01", "9999-12-31", PeriodKind.Quarter, 4)]
    [InlineData("9998-06-01", "9999-12-31", PeriodKind.Year, 2)]
    public void the_first_and_last_dates_there_are_still_make_periods(string from, string to, PeriodKind kind, int count)
    {
        var periods = Periods.Covering(Range(from, to), kind);

        periods.Count.ShouldBe(count);
        periods[0].Window.From.ShouldBe(A.Day(from));
        periods[^1].Window.To.ShouldBe(A.Day(to));
    }

    [Theory]
    [InlineData("2016-03-31", 2016)]
    [InlineData("2016-04-01", 2017)]
    [InlineData("2016-06-30", 2017)]
    [InlineData("2017-01-01", 2017)]
    public void the_dfe_reporting_year_ends_on_31_march(string day, int year)
    {
        Periods.ReportingYearOf(A.Day(day)).ShouldBe(year);
    }
}
