using Lscb.CaseFlow.Facts;
using Lscb.CaseFlow.Tests.Support;

namespace Lscb.CaseFlow.Tests.Facts;

public class ChildFactsTests
{
    [Fact]
    public void re_referral_fact_carries_its_flags_and_family()
    {
        var facts = ChildFacts.Of("C1", A.History(
            A.Referral("2015-11-17", familyId: ""), A.ConsentDeclined("2016-01-08"), A.Referral("2016-04-13", familyId: "F-1")));

        facts.Where(f => f.Kind == FactKind.Referral).ShouldBe(
        [
            new Fact("C1", FactKind.Referral, A.Day("2015-11-17")),
            new Fact("C1", FactKind.Referral, A.Day("2016-04-13"),
                FactFlags.ReReferral | FactFlags.ConsentDeclinedBefore | FactFlags.ConsentDeclinedWithin12MonthsBefore, FamilyId: "F-1"),
        ]);
    }

    [Fact]
    public void contact_and_s47_facts_say_where_they_led()
    {
        var facts = ChildFacts.Of("C1", A.History(
            A.Contact("2016-04-12"), A.Decision("2016-04-13", "section-47"), A.S47("2016-04-13"), A.Conference("2016-05-04")));

        facts.Single(f => f.Kind == FactKind.Contact).Flags.ShouldBe(FactFlags.ProceededToAssessmentOrS47 | FactFlags.DecidedSection47);
        facts.Single(f => f.Kind == FactKind.S47Started).Flags.ShouldBe(FactFlags.LedToConference);
        facts.Single(f => f.Kind == FactKind.InitialConference).On.ShouldBe(A.Day("2016-05-04"));
    }

    [Fact]
    public void plan_facts_carry_repeat_and_duration_flags()
    {
        var facts = ChildFacts.Of("C1", A.History(
            A.Plan("2014-01-06", planId: "P-1"), A.PlanCeased("2016-01-06", planId: "P-1"),
            A.Plan("2017-03-01", planId: "P-2"), A.PlanCeased("2017-06-30", planId: "P-9")));

        facts.Where(f => f.Kind == FactKind.PlanStarted).Select(f => f.Flags)
            .ShouldBe([FactFlags.None, FactFlags.RepeatPlan | FactFlags.RepeatPlanWithin2Years]);
        facts.Where(f => f.Kind == FactKind.PlanCeased).Select(f => f.Flags)
            .ShouldBe([FactFlags.PlanKnown | FactFlags.Lasted2Years, FactFlags.None]);
    }

    [Fact]
    public void plan_span_runs_from_its_start_to_its_first_cease_with_its_18_month_milestone()
    {
        var facts = ChildFacts.Of("C1", A.History(A.Plan("2016-05-04"), A.PlanCeased("2017-12-14"), A.PlanCeased("2018-01-02")));

        var span = facts.Single(f => f.Kind == FactKind.Plan);
        span.ShouldBe(new Fact("C1", FactKind.Plan, A.Day("2016-05-04"), Until: A.Day("2017-12-14"), Milestone: A.Day("2017-11-04")));
        span.IsOpenAt(A.Day("2017-12-13")).ShouldBeTrue();
        span.IsOpenAt(A.Day("2017-12-14")).ShouldBeFalse();
    }

    [Fact]
    public void care_episode_span_is_flagged_when_it_is_a_short_break()
    {
        var facts = ChildFacts.Of("C1", A.History(
            A.Care("2018-01-10", "V4", episodeId: "L-1"), A.CareEnded("2018-01-12", episodeId: "L-1"), A.Care("2018-09-10", "C2", episodeId: "L-2")));

        facts.Where(f => f.Kind == FactKind.CareEpisode).ShouldBe(
        [
            new Fact("C1", FactKind.CareEpisode, A.Day("2018-01-10"), FactFlags.ShortBreak, A.Day("2018-01-12")),
            new Fact("C1", FactKind.CareEpisode, A.Day("2018-09-10")),
        ]);
    }

    [Fact]
    public void every_counted_event_gives_one_fact_of_its_kind()
    {
        var facts = ChildFacts.Of("C1", A.History(
            A.Contact("2016-01-01"), A.Referral("2016-01-02"), A.EarlyHelp("2016-01-03"), A.ConsentDeclined("2016-01-04"),
            A.AssessmentStarted("2016-01-05"), A.StrategyDiscussion("2016-01-06"), A.S47("2016-01-07"),
            A.Conference("2016-01-08"), A.Plan("2016-01-09"), A.PlanCeased("2016-01-10")));

        facts.Select(f => f.Kind).ShouldBe(
        [
            FactKind.Contact, FactKind.Referral, FactKind.EarlyHelpReferral, FactKind.ConsentDeclined, FactKind.AssessmentStarted,
            FactKind.StrategyDiscussion, FactKind.S47Started, FactKind.InitialConference, FactKind.PlanStarted, FactKind.PlanCeased,
            FactKind.Plan,
        ]);
    }

    [Fact]
    public void retracted_event_gives_no_fact()
    {
        var contact = A.Contact("2016-08-01");

        ChildFacts.Of("C1", A.History(contact, A.Retraction(contact, on: "2016-08-03"))).ShouldBeEmpty();
    }

    [Fact]
    public void fact_has_a_flag_set_only_when_it_has_every_one_of_them()
    {
        var fact = new Fact("C1", FactKind.Referral, A.Day("2016-04-13"), FactFlags.ReReferral);

        fact.Has(FactFlags.ReReferral).ShouldBeTrue();
        fact.Has(FactFlags.ReReferral | FactFlags.ConsentDeclinedBefore).ShouldBeFalse();
    }
}
