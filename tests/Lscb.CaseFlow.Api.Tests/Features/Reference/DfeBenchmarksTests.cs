using System.Globalization;
using Lscb.CaseFlow.Api.Features.Reference;
using Lscb.CaseFlow.Api.Tests.Infrastructure;

namespace Lscb.CaseFlow.Api.Tests.Features.Reference;

/// <summary>
/// The DfE reference data, checked against the DfE's own CSVs in ../shared/data/dfe (the originals, not the
/// compact copies the API embeds): recomputing the published percentages and rates from the published counts,
/// with the DfE's rounding, gives the published digits; and the comparisons the analyst sees are those figures.
/// </summary>
public sealed class DfeBenchmarksTests
{
    private const string Solihull = "334";
    private const string England = "E92000001";
    private static readonly string[] SolihullsNeighbours = ["356", "877", "896", "937", "358", "895", "351", "881", "823", "811"];

    private static readonly DfeBenchmarks Dfe = DfeBenchmarks.Load();

    private static readonly Lazy<List<Dictionary<string, string>>> Referrals = Shared("c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv");
    private static readonly Lazy<List<Dictionary<string, string>>> S47s = Shared("c4_children_in_need_section_47s_and_icpcs_2013_to_2025.csv");
    private static readonly Lazy<List<Dictionary<string, string>>> SubsequentPlans = Shared("d3_cpps_subsequent_plan_2013_to_2025.csv");
    private static readonly Lazy<List<Dictionary<string, string>>> LookedAfter = Shared("cla_number_and_rate_per_10k_children.csv");
    private static readonly Lazy<List<Dictionary<string, string>>> Population = Shared("ons_mid-year_population_estimates_2012_to_2024.csv");

    // ---- The DfE's published digits, recomputed from its published counts -------------------------------------

    [Fact]
    public void england_re_referrals_in_2024_are_22_4_percent_of_referrals()
    {
        var england = Row(Referrals.Value, 2024, England);

        Percentage(Number(england["rereferral_count"]), Number(england["referral_count"])).ShouldBe(22.4m);
        england["rereferral_percent"].ShouldBe("22.4");
    }

    [Theory]
    [InlineData(England)]
    [InlineData(Solihull)]
    public void re_referral_percentages_recompute_from_the_published_counts_in_every_year(string code)
    {
        var rows = RowsOf(Referrals.Value, code);

        rows.Count.ShouldBe(13, "2013 to 2025");
        foreach (var row in rows)
        {
            Percentage(Number(row["rereferral_count"]), Number(row["referral_count"]))
                .ShouldBe(Number(row["rereferral_percent"]), $"{code} {row["time_period"]}");
        }
    }

    [Theory]
    [InlineData(England)]
    [InlineData(Solihull)]
    public void second_or_subsequent_plan_percentages_recompute_from_the_published_counts_in_every_year(string code)
    {
        var rows = RowsOf(SubsequentPlans.Value, code);

        rows.Count.ShouldBe(13, "2013 to 2025");
        foreach (var row in rows.Where(r => !(code == England && r["time_period"] == "2022")))
        {
            Percentage(Number(row["CPP_subsequent"]), Number(row["CPP_start"]))
                .ShouldBe(Number(row["CPP_subsequent_percent"]), $"{code} {row["time_period"]}");
        }
    }

    [Fact]
    public void england_second_plans_in_2022_are_published_as_22_7_percent_though_its_counts_rounded_to_10_give_22_6()
    {
        // National counts are rounded to the nearest 10; the DfE's percentage comes from the unrounded ones.
        var england = Row(SubsequentPlans.Value, 2022, England);

        Percentage(Number(england["CPP_subsequent"]), Number(england["CPP_start"])).ShouldBe(22.6m);
        england["CPP_subsequent_percent"].ShouldBe("22.7");
        Dfe.For("repeatPlansRate", Solihull, 2022)!.England.ShouldBe(22.7, "the published figure is used");
    }

    [Theory]
    [InlineData(England)]
    [InlineData(Solihull)]
    public void looked_after_rates_per_10000_recompute_as_whole_numbers_in_every_year(string code)
    {
        var rows = RowsOf(LookedAfter.Value, code).Where(IsLookedAfterAt31March).ToList();

        rows.Select(r => r["time_period"]).ShouldBe(["2025", "2024", "2023", "2022", "2021"]);
        foreach (var row in rows)
        {
            Round(10_000m * Number(row["children_count"])!.Value / Number(row["population_estimate"])!.Value, 0)
                .ShouldBe(Number(row["rate_per_10000"])!.Value, $"{code} {row["time_period"]}");
        }
    }

    [Fact]
    public void rates_at_31_march_are_per_the_ons_population_of_the_june_before()
    {
        // Every looked-after row's population is the ONS 0–17 estimate of mid-(Y−1), not mid-Y — except the
        // reorganised authorities (Cumbria, Northamptonshire and their successors) whose population is 'x'.
        var compared = 0;
        foreach (var row in LookedAfter.Value.Where(IsLookedAfterAt31March).Where(r => r["population_estimate"] != "x"))
        {
            var year = int.Parse(row["time_period"], CultureInfo.InvariantCulture);
            Row(Population.Value, year - 1, Code(row))["population_estimate"]
                .ShouldBe(row["population_estimate"], $"{Code(row)} {year}");
            compared++;
        }

        compared.ShouldBeGreaterThan(800);
    }

    // ---- The comparisons ---------------------------------------------------------------------------------------

    [Fact]
    public void solihull_is_334_in_the_west_midlands()
    {
        Dfe.Authority(Solihull).ShouldBe(new AuthorityInfo(Solihull, "Solihull", "West Midlands"));
        Dfe.Authority("E08000029").ShouldBe(Dfe.Authority(Solihull));
        Dfe.Authority("999").ShouldBeNull();
    }

    [Fact]
    public void the_years_are_those_the_dfe_publishes()
    {
        Dfe.Years.ShouldBe(Enumerable.Range(2013, 13));
    }

    [Fact]
    public void solihulls_referral_rate_for_2017_sits_beside_england_and_the_west_midlands_per_10000_of_mid_2016()
    {
        var comparison = Dfe.For("referralRatePer10k", Solihull, 2017)!;

        comparison.Year.ShouldBe(2017);
        comparison.Annual.ShouldBeTrue();
        comparison.Measure.ShouldContain("derived");
        comparison.England.ShouldBe(553.6);     // 646,120 referrals / 11,671,521 children × 10,000
        comparison.Region.ShouldBe(654.4);      // 83,220 / 1,271,627
        comparison.Authority.ShouldBe(620.5);   // 2,848 / 45,896
        comparison.England.ShouldBe(ReferralRate(2017, England));
        comparison.Region.ShouldBe(ReferralRate(2017, "E12000005"));
        comparison.Authority.ShouldBe(ReferralRate(2017, Solihull));
    }

    [Fact]
    public void solihulls_statistical_neighbours_give_the_median_and_mean_of_their_ten_referral_rates()
    {
        var rates = SolihullsNeighbours.Select(n => ReferralRate(2017, n)!.Value).Order().ToList();
        rates.Count.ShouldBe(10);

        var neighbours = Dfe.For("referralRatePer10k", Solihull, 2017)!.Neighbours!;

        neighbours.Count.ShouldBe(10);
        neighbours.Median.ShouldBe((double)Round(((decimal)rates[4] + (decimal)rates[5]) / 2, 1));
        neighbours.Mean.ShouldBe((double)Round(rates.Sum(r => (decimal)r) / 10, 1));
    }

    [Fact]
    public void a_neighbour_without_a_published_figure_is_left_out_of_the_median_and_mean()
    {
        // Islington's neighbours include Hackney, whose 2022 return is 'x' (not available).
        Row(Referrals.Value, 2022, "204")["referral_count"].ShouldBe("x");

        var islington = Dfe.For("referralRatePer10k", "206", 2022)!;

        islington.Neighbours!.Count.ShouldBe(9);
        islington.Region.ShouldNotBeNull("Inner London, the region the DfE's rows place Islington in");
    }

    [Fact]
    public void suppressed_figures_are_null()
    {
        Row(Referrals.Value, 2024, "201")["rereferral_percent"].ShouldBe("c");
        Row(S47s.Value, 2025, "201")["Section47"].ShouldBe("c");

        Dfe.For("reReferralRate", "201", 2024)!.Authority.ShouldBeNull();
        Dfe.For("s47RatePer10k", "201", 2025)!.Authority.ShouldBeNull();
        Dfe.For("s47ToIcpcRate", "201", 2025)!.Authority.ShouldBeNull();
        Dfe.For("reReferralRate", "201", 2024)!.England.ShouldBe(22.4);
    }

    [Theory]
    [InlineData("c")]
    [InlineData("z")]
    [InlineData("x")]
    [InlineData("k")]
    [InlineData("u")]
    [InlineData("")]
    [InlineData(" ")]
    public void the_dfes_codes_for_no_figure_read_as_null(string cell)
    {
        DfeBenchmarks.ParseValue(cell).ShouldBeNull();
    }

    [Theory]
    [InlineData("12,183,016", "12183016")]
    [InlineData("22.4", "22.4")]
    [InlineData(" 489 ", "489")]
    public void published_numbers_may_carry_thousands_separators_and_decimals(string cell, string expected)
    {
        DfeBenchmarks.ParseValue(cell).ShouldBe(decimal.Parse(expected, CultureInfo.InvariantCulture));
    }

    [Fact]
    public void the_re_referral_rate_is_the_published_percentage()
    {
        var comparison = Dfe.For("reReferralRate", Solihull, 2024)!;

        comparison.England.ShouldBe(22.4);
        comparison.Region.ShouldBe((double)Number(Row(Referrals.Value, 2024, "E12000005")["rereferral_percent"])!.Value);
        comparison.Authority.ShouldBe(25.7);
    }

    [Fact]
    public void a_reporting_year_after_the_last_published_one_falls_back_to_the_latest()
    {
        var later = Dfe.For("reReferralRate", Solihull, 2031)!;

        later.Year.ShouldBe(2025);
        later.ShouldBe(Dfe.For("reReferralRate", Solihull, 2025));
        later.Authority.ShouldBe(26.3);
    }

    [Fact]
    public void a_reporting_year_before_the_first_published_one_has_no_comparison()
    {
        Dfe.For("reReferralRate", Solihull, 2012).ShouldBeNull();
        // The looked-after file starts in 2021.
        Dfe.For("childrenLookedAfter", Solihull, 2020).ShouldBeNull();
        Dfe.For("childrenLookedAfter", Solihull, 2021)!.Year.ShouldBe(2021);
    }

    [Fact]
    public void children_on_a_plan_at_31_march_are_a_snapshot_per_10000_of_the_june_before()
    {
        var count = Dfe.For("childrenOnPlan", Solihull, 2025)!;
        var rate = Dfe.For("childrenOnPlanRatePer10k", Solihull, 2025)!;

        count.Authority.ShouldBe(177);
        count.Annual.ShouldBeFalse();
        rate.Authority.ShouldBe(36.0);           // 177 / 49,229 (mid-2024) × 10,000 = 35.95…
        rate.England.ShouldBe(40.6);             // 49,420 / 12,183,016
        rate.Annual.ShouldBeFalse();
    }

    [Fact]
    public void children_looked_after_at_31_march_are_as_published_with_whole_number_rates()
    {
        Dfe.For("childrenLookedAfter", Solihull, 2025)!.Authority.ShouldBe(489);
        var rate = Dfe.For("childrenLookedAfterRatePer10k", Solihull, 2025)!;

        rate.Authority.ShouldBe(99);
        rate.England.ShouldBe(67);
        rate.Region.ShouldBe(86);
        rate.Neighbours!.Count.ShouldBe(10);
    }

    [Fact]
    public void section_47_enquiries_and_conferences_are_per_10000_and_their_ratio_is_derived()
    {
        Dfe.For("s47RatePer10k", Solihull, 2025)!.Authority.ShouldBe(228.3);    // 1,124 / 49,229
        Dfe.For("icpcRatePer10k", Solihull, 2025)!.Authority.ShouldBe(60.5);    // 298 / 49,229

        var ratio = Dfe.For("s47ToIcpcRate", Solihull, 2025)!;
        ratio.Authority.ShouldBe(26.5);                                          // 298 / 1,124
        ratio.Measure.ShouldContain("derived");
    }

    [Fact]
    public void repeat_plans_are_the_published_second_or_subsequent_percentage()
    {
        var comparison = Dfe.For("repeatPlansRate", Solihull, 2025)!;

        comparison.Authority.ShouldBe(19.6);
        comparison.England.ShouldBe(24.5);
    }

    [Fact]
    public void plans_ceased_after_lasting_two_years_are_not_published()
    {
        Dfe.For("plansCeasedLasting2YearsRate", Solihull, 2025).ShouldBeNull();
    }

    [Theory]
    [InlineData("contacts")]
    [InlineData("noSuchKpi")]
    [InlineData("")]
    public void a_kpi_the_dfe_does_not_publish_has_no_comparison(string key)
    {
        Dfe.For(key, Solihull, 2025).ShouldBeNull();
    }

    [Fact]
    public void an_unknown_authority_still_gets_england()
    {
        var comparison = Dfe.For("reReferralRate", "999", 2025)!;

        comparison.England.ShouldBe(22.6);
        comparison.Region.ShouldBeNull();
        comparison.Authority.ShouldBeNull();
        comparison.Neighbours.ShouldBeNull();
    }

    [Fact]
    public void conference_timeliness_is_recomputed_from_table_c4_s_duration_bands()
    {
        // England 2024-25: (6,240 + 52,430) of the 72,090 conferences in the four bands; Solihull (15 + 244) of 298.
        var comparison = Dfe.For("icpcWithin15WorkingDaysRate", Solihull, 2025)!;

        comparison.England.ShouldBe(81.4);
        comparison.Authority.ShouldBe(86.9);
        comparison.Annual.ShouldBeTrue();
        Dfe.For("assessmentsWithin45WorkingDaysRate", Solihull, 2025).ShouldBeNull("table C2 is not held: nothing is put in its place");
    }

    [Fact]
    public void every_published_kpi_has_england_solihull_and_its_neighbours_in_the_latest_year()
    {
        Dfe.Keys.ShouldBe(
            ["referralRatePer10k", "reReferralRate", "s47RatePer10k", "icpcRatePer10k", "s47ToIcpcRate", "icpcWithin15WorkingDaysRate", "childrenOnPlan",
             "childrenOnPlanRatePer10k", "repeatPlansRate", "childrenLookedAfter", "childrenLookedAfterRatePer10k"],
            ignoreOrder: true);
        foreach (var key in Dfe.Keys)
        {
            var comparison = Dfe.For(key, Solihull, 2025)!;
            comparison.Year.ShouldBe(2025, key);
            comparison.England.ShouldNotBeNull(key);
            comparison.Region.ShouldNotBeNull(key);
            comparison.Authority.ShouldNotBeNull(key);
            comparison.Neighbours!.Count.ShouldBeGreaterThan(0, key);
        }
    }

    // ---- Reading the originals ---------------------------------------------------------------------------------

    private static double? ReferralRate(int year, string code)
    {
        var referrals = Number(Row(Referrals.Value, year, code)["referral_count"]);
        var children = Number(Row(Population.Value, year - 1, code)["population_estimate"]);
        return referrals is { } r && children is { } c ? (double)Round(10_000m * r / c, 1) : null;
    }

    private static decimal? Percentage(decimal? numerator, decimal? denominator) =>
        numerator is { } n && denominator is { } d ? Round(100m * n / d, 1) : null;

    /// <summary>The DfE's rounding: half away from zero.</summary>
    private static decimal Round(decimal value, int decimals) => Math.Round(value, decimals, MidpointRounding.AwayFromZero);

    private static decimal? Number(string cell) =>
        decimal.TryParse(cell.Replace(",", "", StringComparison.Ordinal), NumberStyles.Number, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static bool IsLookedAfterAt31March(Dictionary<string, string> row) =>
        row["population_type"] == "Children looked after on 31 March each year";

    private static string Code(Dictionary<string, string> row) => row["geographic_level"] switch
    {
        "National" => England,
        "Regional" => row["region_code"],
        _ => row["old_la_code"],
    };

    private static List<Dictionary<string, string>> RowsOf(List<Dictionary<string, string>> rows, string code) =>
        [.. rows.Where(r => Code(r) == code)];

    private static Dictionary<string, string> Row(List<Dictionary<string, string>> rows, int year, string code) =>
        RowsOf(rows, code).Where(IsRowOfTheMeasure).Single(r => r["time_period"] == year.ToString(CultureInfo.InvariantCulture));

    private static bool IsRowOfTheMeasure(Dictionary<string, string> row) =>
        !row.TryGetValue("population_type", out var type) || type == "Children looked after on 31 March each year";

    private static Lazy<List<Dictionary<string, string>>> Shared(string file) => new(() =>
    {
        var lines = File.ReadAllLines(Ce.SharedFile($"data/dfe/{file}")).Where(l => l.Length > 0).ToList();
        var header = DfeBenchmarks.SplitCsvLine(lines[0].TrimStart('\uFEFF'));
        return [.. lines.Skip(1).Select(l => DfeBenchmarks.SplitCsvLine(l)
            .Select((value, i) => (header[i], value))
            .ToDictionary(x => x.Item1, x => x.value, StringComparer.Ordinal))];
    });
}
