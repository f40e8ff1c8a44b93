using Lscb.CaseFlow.Facts;
using Lscb.CaseFlow.Journeys;
using Lscb.CaseFlow.Kpis;
using Lscb.CaseFlow.Tests.Support;

namespace Lscb.CaseFlow.Tests.Journeys;

public class TimelinessTests
{
    private static Window At(string day) => new(A.Day(day), A.Day(day));

    private static long Count(Kpi kpi, IReadOnlyList<Fact> facts, Window w, bool numerator) => kpi switch
    {
        Kpi.Percentage p => (numerator ? p.Numerator : p.Denominator).CountIn(facts, w),
        Kpi.Count c => c.Of.CountIn(facts, w),
        _ => throw new ArgumentOutOfRangeException(nameof(kpi)),
    };

    private static IReadOnlyList<Fact> FactsOf(params Lscb.CaseFlow.Events.CaseEvent[] events) => ChildFacts.Of("C1", A.History(events));

    [Fact]
    public void assessment_completed_in_45_working_days_is_on_time_and_in_46_is_not()
    {
        // From Friday 1 April 2016, the 45th working day is Tuesday 7 June (2 May and 30 May bank holidays).
        var onTime = FactsOf(A.AssessmentStarted("2016-04-01", "A-1"), A.AssessmentCompleted("2016-06-07", "A-1"));
        var late = FactsOf(A.AssessmentStarted("2016-04-01", "A-1"), A.AssessmentCompleted("2016-06-08", "A-1"));
        var q = new Window(A.Day("2016-04-01"), A.Day("2016-06-30"));

        Count(KpiDefinitions.AssessmentsWithin45WorkingDaysRate, onTime, q, numerator: true).ShouldBe(1);
        Count(KpiDefinitions.AssessmentsWithin45WorkingDaysRate, late, q, numerator: true).ShouldBe(0);
        Count(KpiDefinitions.AssessmentsCompleted, late, q, numerator: true).ShouldBe(1);
    }

    [Fact]
    public void assessment_completed_with_no_start_on_or_before_it_is_not_counted()
    {
        var facts = FactsOf(A.AssessmentStarted("2016-06-08", "A-1"), A.AssessmentCompleted("2016-06-07", "A-1"), A.AssessmentCompleted("2016-06-07", "A-2"));

        facts.ShouldNotContain(f => f.Kind == FactKind.AssessmentCompleted);
    }

    [Fact]
    public void conference_within_15_working_days_of_its_enquiry_is_on_time()
    {
        // S47 on Wednesday 13 April 2016; the 15th working day after it is Thursday 5 May (2 May a bank holiday).
        var onTime = FactsOf(A.S47("2016-04-13", "S-1"), A.Conference("2016-05-05", s47Id: "S-1"));
        var late = FactsOf(A.S47("2016-04-13", "S-1"), A.Conference("2016-05-06", s47Id: "S-1"));
        var named = FactsOf(A.Conference("2016-05-05", s47Id: "S-9"));
        var q = new Window(A.Day("2016-04-01"), A.Day("2016-06-30"));

        Count(KpiDefinitions.IcpcWithin15WorkingDaysRate, onTime, q, numerator: true).ShouldBe(1);
        Count(KpiDefinitions.IcpcWithin15WorkingDaysRate, late, q, numerator: true).ShouldBe(0);
        Count(KpiDefinitions.IcpcWithin15WorkingDaysRate, late, q, numerator: false).ShouldBe(1);
        Count(KpiDefinitions.IcpcWithin15WorkingDaysRate, named, q, numerator: false).ShouldBe(0, "a conference naming no received enquiry is left out");
    }

    [Theory]
    [InlineData("2016-08-03", false, false)] // not yet 3 months: not counted
    [InlineData("2016-08-04", true, true)]   // 3 months, first review not yet overdue
    [InlineData("2016-08-05", true, false)]  // first review overdue
    public void a_plan_with_no_review_is_on_time_until_its_first_review_is_due(string day, bool due, bool onTime)
    {
        var facts = FactsOf(A.Plan("2016-05-04", planId: "P-1"));

        Count(KpiDefinitions.PlansReviewedOnTimeRate, facts, At(day), numerator: false).ShouldBe(due ? 1 : 0);
        Count(KpiDefinitions.PlansReviewedOnTimeRate, facts, At(day), numerator: true).ShouldBe(onTime ? 1 : 0);
    }

    [Theory]
    [InlineData("2017-01-20", true)]  // reviewed 2016-07-20, next due 2017-01-20
    [InlineData("2017-01-21", false)] // the second review overdue
    public void reviews_every_6_months_after_the_first_keep_a_plan_on_time(string day, bool onTime)
    {
        var facts = FactsOf(A.Plan("2016-05-04", planId: "P-1"), A.PlanReviewed("2016-07-20", "P-1"));

        Count(KpiDefinitions.PlansReviewedOnTimeRate, facts, At(day), numerator: true).ShouldBe(onTime ? 1 : 0);
        Count(KpiDefinitions.PlansReviewedOnTimeRate, facts, At(day), numerator: false).ShouldBe(1);
    }

    [Fact]
    public void a_late_review_leaves_the_plan_late_from_its_due_date_on()
    {
        var facts = FactsOf(A.Plan("2016-05-04", planId: "P-1"), A.PlanReviewed("2016-08-20", "P-1"), A.PlanReviewed("2016-12-01", "P-1"));

        Count(KpiDefinitions.PlansReviewedOnTimeRate, facts, At("2016-12-31"), numerator: true).ShouldBe(0);
    }

    [Fact]
    public void the_child_s_latest_started_open_plan_is_the_one_measured()
    {
        // The first plan is reviewed on time; the second, started later and open, is never reviewed.
        var facts = FactsOf(
            A.Plan("2016-01-04", planId: "P-1"), A.PlanReviewed("2016-03-01", "P-1"),
            A.Plan("2016-05-04", planId: "P-2"));

        Count(KpiDefinitions.PlansReviewedOnTimeRate, facts, At("2016-06-01"), numerator: false).ShouldBe(0, "P-2 has not had 3 months");
        Count(KpiDefinitions.PlansReviewedOnTimeRate, facts, At("2016-09-01"), numerator: false).ShouldBe(1);
        Count(KpiDefinitions.PlansReviewedOnTimeRate, facts, At("2016-09-01"), numerator: true).ShouldBe(0, "P-2's first review is overdue");
    }
}
