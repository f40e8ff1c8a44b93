using Lscb.CaseFlow.Journeys;
using Lscb.CaseFlow.Tests.Support;

namespace Lscb.CaseFlow.Tests.Journeys;

public class PlanTests
{
    [Fact]
    public void first_plan_is_not_a_repeat_plan()
    {
        var plan = A.Plan("2016-05-04");

        Pathway.IsRepeatPlan(A.History(plan), plan).ShouldBeFalse();
        Pathway.EarlierPlanCeasedWithin2Years(A.History(plan), plan).ShouldBeNull();
    }

    [Fact]
    public void plan_started_after_another_plan_is_a_repeat_plan()
    {
        var first = A.Plan("2010-01-10", planId: "P-1");
        var plan = A.Plan("2016-05-04", planId: "P-2");
        var history = A.History(first, A.PlanCeased("2010-06-01", planId: "P-1"), plan);

        Pathway.IsRepeatPlan(history, plan).ShouldBeTrue();
        Pathway.IsRepeatPlan(history, first).ShouldBeFalse();
    }

    [Fact]
    public void plan_started_on_the_same_day_as_another_is_not_a_repeat_plan()
    {
        var one = A.Plan("2016-05-04", planId: "P-1");
        var other = A.Plan("2016-05-04", planId: "P-2");
        var history = A.History(one, other);

        Pathway.IsRepeatPlan(history, one).ShouldBeFalse();
        Pathway.IsRepeatPlan(history, other).ShouldBeFalse();
    }

    [Fact]
    public void retracted_earlier_plan_does_not_make_a_repeat_plan()
    {
        var recordedInError = A.Plan("2015-01-05", planId: "P-1");
        var plan = A.Plan("2016-05-04", planId: "P-2");

        Pathway.IsRepeatPlan(A.History(recordedInError, A.Retraction(recordedInError), plan), plan).ShouldBeFalse();
    }

    [Fact]
    public void plan_within_2_years_of_a_cease_is_a_repeat_within_2_years()
    {
        var plan = A.Plan("2018-03-20", planId: "P-2");
        var history = A.History(A.Plan("2016-05-04", planId: "P-1"), A.PlanCeased("2017-12-14", planId: "P-1"), plan);

        Pathway.EarlierPlanCeasedWithin2Years(history, plan).ShouldNotBeNull().PlanId.ShouldBe("P-1");
    }

    [Fact]
    public void plan_exactly_2_years_after_a_cease_is_a_repeat_within_2_years()
    {
        var plan = A.Plan("2018-03-01", planId: "P-2");
        var history = A.History(A.Plan("2015-01-05", planId: "P-1"), A.PlanCeased("2016-03-01", planId: "P-1"), plan);

        Pathway.EarlierPlanCeasedWithin2Years(history, plan).ShouldNotBeNull();
    }

    [Fact]
    public void plan_2_years_and_a_day_after_a_cease_is_a_repeat_plan_but_not_within_2_years()
    {
        var plan = A.Plan("2018-03-02", planId: "P-2");
        var history = A.History(A.Plan("2015-01-05", planId: "P-1"), A.PlanCeased("2016-03-01", planId: "P-1"), plan);

        Pathway.EarlierPlanCeasedWithin2Years(history, plan).ShouldBeNull();
        Pathway.IsRepeatPlan(history, plan).ShouldBeTrue();
    }

    [Fact]
    public void plan_started_on_the_day_the_previous_ceased_is_a_repeat_within_2_years()
    {
        var plan = A.Plan("2017-06-30", planId: "P-2");
        var history = A.History(A.Plan("2016-05-04", planId: "P-1"), A.PlanCeased("2017-06-30", planId: "P-1"), plan);

        Pathway.EarlierPlanCeasedWithin2Years(history, plan).ShouldNotBeNull();
    }

    [Fact]
    public void plan_on_29_february_looks_back_to_28_february_2_years_before()
    {
        var plan = A.Plan("2020-02-29", planId: "P-2");

        var ceasedOn28February = A.History(A.Plan("2017-01-05", planId: "P-1"), A.PlanCeased("2018-02-28", planId: "P-1"), plan);
        var ceasedOn27February = A.History(A.Plan("2017-01-05", planId: "P-1"), A.PlanCeased("2018-02-27", planId: "P-1"), plan);

        Pathway.EarlierPlanCeasedWithin2Years(ceasedOn28February, plan).ShouldNotBeNull();
        Pathway.EarlierPlanCeasedWithin2Years(ceasedOn27February, plan).ShouldBeNull();
    }

    [Fact]
    public void earlier_plan_still_open_when_the_next_starts_is_not_a_repeat_within_2_years()
    {
        var plan = A.Plan("2017-03-01", planId: "P-2");
        var history = A.History(A.Plan("2016-05-04", planId: "P-1"), plan, A.PlanCeased("2017-04-01", planId: "P-1"));

        Pathway.EarlierPlanCeasedWithin2Years(history, plan).ShouldBeNull();
    }

    [Fact]
    public void repeat_within_2_years_names_the_plan_that_ceased_last()
    {
        var plan = A.Plan("2018-03-20", planId: "P-3");
        var history = A.History(
            A.Plan("2016-01-04", planId: "P-1"), A.PlanCeased("2016-07-01", planId: "P-1"),
            A.Plan("2016-09-01", planId: "P-2"), A.PlanCeased("2017-12-14", planId: "P-2"),
            plan);

        Pathway.EarlierPlanCeasedWithin2Years(history, plan).ShouldNotBeNull().PlanId.ShouldBe("P-2");
    }

    [Fact]
    public void plan_lasting_exactly_2_years_lasted_2_years()
    {
        var cease = A.PlanCeased("2018-05-04");
        var plan = Pathway.PlanOf(A.History(A.Plan("2016-05-04"), cease), cease).ShouldNotBeNull();

        Pathway.Lasted2YearsOrMore(plan, cease).ShouldBeTrue();
    }

    [Fact]
    public void plan_ceased_a_day_short_of_2_years_did_not_last_2_years_though_it_lasted_730_days()
    {
        var cease = A.PlanCeased("2017-05-03");
        var plan = Pathway.PlanOf(A.History(A.Plan("2015-05-04"), cease), cease).ShouldNotBeNull();

        Pathway.Lasted2YearsOrMore(plan, cease).ShouldBeFalse();
    }

    [Fact]
    public void plan_started_on_29_february_lasted_2_years_on_28_february()
    {
        var cease = A.PlanCeased("2018-02-28");
        var plan = Pathway.PlanOf(A.History(A.Plan("2016-02-29"), cease), cease).ShouldNotBeNull();

        Pathway.Lasted2YearsOrMore(plan, cease).ShouldBeTrue();
    }

    [Fact]
    public void plans_are_matched_by_plan_id_with_their_first_start_and_first_cease()
    {
        var firstStart = A.Plan("2016-05-04", planId: "P-1");
        var firstCease = A.PlanCeased("2017-06-30", planId: "P-1");
        var history = A.History(
            A.PlanCeased("2017-08-01", planId: "P-1"), A.Plan("2016-05-10", planId: "P-1"), firstCease, firstStart,
            A.Plan("2018-03-20", planId: "P-2"));

        var plans = Pathway.Plans(history);

        plans.Select(p => p.PlanId).ShouldBe(["P-1", "P-2"]);
        plans[0].Start.ShouldBeSameAs(firstStart);
        plans[0].Ceased.ShouldBeSameAs(firstCease);
        plans[1].Ceased.ShouldBeNull();
    }

    [Fact]
    public void cease_without_a_start_belongs_to_no_plan()
    {
        var cease = A.PlanCeased("2017-06-30");
        var history = A.History(cease);

        Pathway.PlanOf(history, cease).ShouldBeNull();
        Pathway.Plans(history).ShouldBeEmpty();
    }

    [Fact]
    public void child_is_on_a_plan_from_its_start_until_the_day_before_it_ceases()
    {
        var history = A.History(A.Plan("2016-05-04"), A.PlanCeased("2017-12-14"));

        Pathway.IsOnPlanAt(history, A.Day("2016-05-03")).ShouldBeFalse();
        Pathway.IsOnPlanAt(history, A.Day("2016-05-04")).ShouldBeTrue();
        Pathway.IsOnPlanAt(history, A.Day("2017-12-13")).ShouldBeTrue();
        Pathway.IsOnPlanAt(history, A.Day("2017-12-14")).ShouldBeFalse();
    }

    [Fact]
    public void plan_not_yet_ceased_stays_open()
    {
        Pathway.IsOnPlanAt(A.History(A.Plan("2016-05-04")), A.Day("2030-01-01")).ShouldBeTrue();
    }

    [Theory]
    [InlineData("2016-05-04", "2017-11-04")]
    [InlineData("2016-08-31", "2018-02-28")]
    [InlineData("2014-08-31", "2016-02-29")]
    public void plan_reaches_18_months_18_calendar_months_later_clamped_to_the_month_end(string startedOn, string reachesOn)
    {
        var plan = Pathway.Plans(A.History(A.Plan(startedOn))).ShouldHaveSingleItem();

        plan.Reaches18MonthsOn.ShouldBe(A.Day(reachesOn));
    }
}
