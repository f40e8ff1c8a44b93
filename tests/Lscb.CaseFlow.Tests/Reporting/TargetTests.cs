using Lscb.CaseFlow.Reporting;

namespace Lscb.CaseFlow.Tests.Reporting;

/// <summary>Red, amber, green against a local target, as the seed's targets read.</summary>
public class TargetTests
{
    // The seed: "The proportion of children with a CPP for over 18 months is 10 %. The target for this is 0 % with a maximum of 4 %."
    private static readonly Target PlansOver18Months = new(0, 4, Direction.Lower);

    // The seed: "S47 enquiries proceeding to initial child protection conference is 39 % … Local target (60 %)".
    private static readonly Target S47ToIcpc = new(60, null, Direction.Higher);

    [Theory]
    [InlineData(0, RagStatus.Green)]
    [InlineData(0.01, RagStatus.Amber)]
    [InlineData(3, RagStatus.Amber)]
    [InlineData(4, RagStatus.Amber)]
    [InlineData(4.01, RagStatus.Red)]
    [InlineData(10, RagStatus.Red)]
    public void plans_over_18_months_against_target_0_and_maximum_4(double value, RagStatus status)
    {
        PlansOver18Months.Assess(value, " %").Status.ShouldBe(status);
    }

    [Fact]
    public void the_seeds_plans_over_18_months_read_as_the_board_would_say_them()
    {
        PlansOver18Months.Assess(0, " %").Reason.ShouldBe("0 % is within the target of 0 %.");
        PlansOver18Months.Assess(3, " %").Reason.ShouldBe("3 % is above the target of 0 % but within the maximum of 4 %.");
        PlansOver18Months.Assess(10, " %").Reason.ShouldBe("10 % is above the maximum of 4 % (target 0 %).");
    }

    [Theory]
    [InlineData(39, RagStatus.Red)]
    [InlineData(59.99, RagStatus.Red)]
    [InlineData(60, RagStatus.Green)]
    [InlineData(100, RagStatus.Green)]
    public void s47_to_icpc_against_a_target_of_60_with_no_amber_band(double value, RagStatus status)
    {
        S47ToIcpc.Assess(value, " %").Status.ShouldBe(status);
    }

    [Fact]
    public void the_seeds_s47_to_icpc_rate_of_39_percent_is_red()
    {
        S47ToIcpc.Assess(38.96, " %").ShouldBe(new Rag(RagStatus.Red, "39.0 % is below the target of 60 %."));
        S47ToIcpc.Assess(60, " %").ShouldBe(new Rag(RagStatus.Green, "60 % meets the target of 60 %."));
    }

    [Theory]
    [InlineData(6, RagStatus.Green)]
    [InlineData(5.9, RagStatus.Green)]
    [InlineData(6.1, RagStatus.Red)]
    public void lower_is_better_without_a_limit_has_no_amber_band(double value, RagStatus status)
    {
        var repeatPlansWithin2Years = new Target(6, null, Direction.Lower);

        repeatPlansWithin2Years.Assess(value, " %").Status.ShouldBe(status);
    }

    [Fact]
    public void lower_is_better_without_a_limit_names_only_the_target()
    {
        new Target(6, null, Direction.Lower).Assess(11, " %").Reason.ShouldBe("11 % is above the target of 6 %.");
    }

    [Theory]
    [InlineData(61, RagStatus.Green)]
    [InlineData(60, RagStatus.Green)]
    [InlineData(59.9, RagStatus.Amber)]
    [InlineData(50, RagStatus.Amber)]
    [InlineData(49.9, RagStatus.Red)]
    public void higher_is_better_with_a_limit_is_amber_down_to_the_limit(double value, RagStatus status)
    {
        new Target(60, 50, Direction.Higher).Assess(value, " %").Status.ShouldBe(status);
    }

    [Fact]
    public void higher_is_better_with_a_limit_names_the_minimum()
    {
        var target = new Target(60, 50, Direction.Higher);

        target.Assess(55, " %").Reason.ShouldBe("55 % is below the target of 60 % but above the minimum of 50 %.");
        target.Assess(45, " %").Reason.ShouldBe("45 % is below the minimum of 50 % (target 60 %).");
    }

    [Fact]
    public void a_rate_has_no_unit_and_one_decimal_place()
    {
        new Target(500, null, Direction.Lower).Assess(651.04).Reason.ShouldBe("651.0 is above the target of 500.");
    }

    [Fact]
    public void no_value_has_no_status()
    {
        PlansOver18Months.Assess(null, " %").ShouldBe(new Rag(RagStatus.None, "No value for this window."));
    }

    [Theory]
    [InlineData(0, 4.0, Direction.Lower, true)]
    [InlineData(4, 4.0, Direction.Lower, true)]
    [InlineData(4, 0.0, Direction.Lower, false)]
    [InlineData(4, null, Direction.Lower, true)]
    [InlineData(60, 50.0, Direction.Higher, true)]
    [InlineData(60, 60.0, Direction.Higher, true)]
    [InlineData(50, 60.0, Direction.Higher, false)]
    [InlineData(60, null, Direction.Higher, true)]
    public void a_limit_must_be_on_the_worse_side_of_the_target(double value, double? limit, Direction direction, bool consistent)
    {
        new Target(value, limit, direction).IsConsistent.ShouldBe(consistent);
    }

    [Theory]
    [InlineData(4, RagStatus.Green)]
    [InlineData(4.01, RagStatus.Red)]
    public void a_limit_equal_to_the_target_leaves_no_amber_band(double value, RagStatus status)
    {
        new Target(4, 4, Direction.Lower).Assess(value, " %").Status.ShouldBe(status);
    }
}
