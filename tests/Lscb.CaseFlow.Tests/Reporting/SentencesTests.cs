using Lscb.CaseFlow.Reporting;

namespace Lscb.CaseFlow.Tests.Reporting;

/// <summary>The plain sentence beside each KPI, worded as the seed report words its comparisons.</summary>
public class SentencesTests
{
    private static ComparisonFigures Figures(
        double? value, double? previousYear = null, double? england = null, double? neighbours = null,
        bool annual = false, bool windowIsAYear = true, bool isCount = false) =>
        new(value, previousYear, england, neighbours, annual, windowIsAYear, isCount);

    [Fact]
    public void the_seeds_referral_rate_over_a_year_is_higher_than_england_and_neighbours()
    {
        Sentences.Compare(Figures(651, england: 548.3, neighbours: 427.6, annual: true))
            .ShouldBe("Higher than England (548.3) and statistical neighbours (427.6).");
    }

    [Fact]
    public void lower_than_both()
    {
        Sentences.Compare(Figures(39, england: 47.3, neighbours: 45.1))
            .ShouldBe("Lower than England (47.3) and statistical neighbours (45.1).");
    }

    [Fact]
    public void higher_than_one_and_lower_than_the_other_names_each()
    {
        Sentences.Compare(Figures(37.7, england: 24, neighbours: 40.2))
            .ShouldBe("Higher than England (24.0), lower than statistical neighbours (40.2).");
    }

    [Fact]
    public void the_same_to_one_decimal_place_is_in_line()
    {
        Sentences.Compare(Figures(47.26, england: 47.3, neighbours: 47.34))
            .ShouldBe("In line with England (47.3) and statistical neighbours (47.3).");
    }

    [Fact]
    public void only_england_or_only_neighbours_names_that_one()
    {
        Sentences.Compare(Figures(10, england: 3.7)).ShouldBe("Higher than England (3.7).");
        Sentences.Compare(Figures(10, neighbours: 4.6)).ShouldBe("Higher than statistical neighbours (4.6).");
    }

    [Theory]
    [InlineData(154.0, 89.8, "Up from 89.8 a year earlier.")]
    [InlineData(80.2, 89.8, "Down from 89.8 a year earlier.")]
    [InlineData(89.8, 89.8, "The same as a year earlier (89.8).")]
    public void up_or_down_from_a_year_earlier(double value, double previous, string sentence)
    {
        Sentences.Compare(Figures(value, previous)).ShouldBe(sentence);
    }

    [Fact]
    public void a_year_earlier_comes_before_the_published_comparison()
    {
        Sentences.Compare(Figures(37.7, 31, england: 21.9, neighbours: 22.2))
            .ShouldBe("Up from 31.0 a year earlier. Higher than England (21.9) and statistical neighbours (22.2).");
    }

    [Fact]
    public void a_count_gets_no_england_comparison_and_no_decimals()
    {
        Sentences.Compare(Figures(840, 1203, england: 650_000, isCount: true)).ShouldBe("Down from 1,203 a year earlier.");
    }

    [Fact]
    public void a_count_is_still_compared_with_its_neighbours_in_whole_numbers()
    {
        Sentences.Compare(Figures(173, 150, england: 49_420, neighbours: 181.4, isCount: true))
            .ShouldBe("Up from 150 a year earlier. Lower than statistical neighbours (181).");
    }

    [Fact]
    public void an_annual_rate_over_a_quarter_is_not_compared()
    {
        var sentence = Sentences.Compare(Figures(154, 89.8, england: 548.3, neighbours: 427.6, annual: true, windowIsAYear: false));

        sentence.ShouldBe("Up from 89.8 a year earlier. England's published figure (548.3) is for a whole year; compare a 12-month window.");
        sentence.ShouldNotContain("Higher");
    }

    [Fact]
    public void a_figure_at_a_date_is_compared_over_any_window()
    {
        Sentences.Compare(Figures(38.2, england: 42.1, annual: false, windowIsAYear: false)).ShouldBe("Lower than England (42.1).");
    }

    [Fact]
    public void no_value_says_so()
    {
        Sentences.Compare(Figures(null, 50, england: 21.9, neighbours: 22.2)).ShouldBe("No value for this window.");
    }

    [Fact]
    public void numbers_are_shown_to_one_decimal_place_or_not_at_all()
    {
        Sentences.N(154.04).ShouldBe("154.0");
        Sentences.N(0.45).ShouldBe("0.5");
        Sentences.N(null).ShouldBe("n/a");
    }
}
