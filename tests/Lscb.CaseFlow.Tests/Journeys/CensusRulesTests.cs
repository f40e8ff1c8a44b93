using Lscb.CaseFlow.Events;
using Lscb.CaseFlow.Journeys;
using Lscb.CaseFlow.Tests.Support;

namespace Lscb.CaseFlow.Tests.Journeys;

/// <summary>
/// The DfE's children-in-need census rules, each tested with cases built from its definition: the case it is
/// about, the boundary the definition draws, and what it leaves alone.
/// </summary>
public class CensusRulesTests
{
    // 1103: Where present, the AssessmentActualStartDate must be on or after the CINreferralDate.
    [Fact]
    public void rule_1103_an_assessment_starting_before_its_referral()
    {
        var early = A.AssessmentStarted("2022-06-03");
        ShouldBeTheOnlyFinding(A.History(A.Referral("2022-10-06"), early), early, CensusRules.AssessmentBeforeReferral)
            .Message.ShouldContain("first referral is dated 2022-10-06");
        ShouldBeTheOnlyFinding(A.History(early), early, CensusRules.AssessmentBeforeReferral)
            .Message.ShouldContain("no referral of the child has been received");
        Rules(A.History(A.Referral("2022-10-06"), A.AssessmentStarted("2022-10-06"))).ShouldBeEmpty();
    }

    // 1104: The DateOfInitialCPC must be on or after the CINreferralDate.
    [Fact]
    public void rule_1104_a_conference_before_its_referral()
    {
        var early = A.Conference("2022-06-17", s47Id: null);
        ShouldBeTheOnlyFinding(A.History(A.Referral("2022-10-06"), early), early, CensusRules.ConferenceBeforeReferral);
        Rules(A.History(A.Referral("2022-06-17"), A.Conference("2022-06-17", s47Id: null))).ShouldBeEmpty();
    }

    // 1105: Where present, the CPPstartDate must be on or after the CINreferralDate.
    [Fact]
    public void rule_1105_a_plan_starting_before_its_referral()
    {
        var plan = A.Plan("2022-02-17");
        var findings = Rules(A.History(A.Referral("2022-10-06"), A.Conference("2022-02-17", s47Id: null), plan));
        findings.Select(f => f.Rule).ShouldBe([CensusRules.ConferenceBeforeReferral, CensusRules.PlanBeforeReferral], ignoreOrder: true);
        findings.Single(f => f.Rule == CensusRules.PlanBeforeReferral).EventId.ShouldBe(plan.EventId);
        Rules(A.History(A.Referral("2022-02-17"), A.Conference("2022-02-17", s47Id: null), A.Plan("2022-02-17"))).ShouldBeEmpty();
    }

    // 2885: The CPPstartDate should equal a DateOfInitialCPC (of the Section47 module, or of the episode).
    [Fact]
    public void rule_2885_a_plan_starting_on_no_conference_date()
    {
        var plan = A.Plan("2022-06-18");
        ShouldBeTheOnlyFinding(A.History(A.Referral("2022-06-01"), A.Conference("2022-06-17", s47Id: null), plan), plan, CensusRules.PlanNotOnConferenceDate);
        Rules(A.History(A.Referral("2022-06-01"), A.Conference("2022-06-17", s47Id: null), A.Plan("2022-06-17"))).ShouldBeEmpty();
    }

    // 4015: Where present, the CINPlanStartDate must be on or after the CINreferralDate.
    [Fact]
    public void rule_4015_a_child_in_need_plan_before_its_referral()
    {
        var plan = A.CinPlan("2022-01-24");
        ShouldBeTheOnlyFinding(A.History(A.Referral("2022-10-06"), plan), plan, CensusRules.ChildInNeedPlanBeforeReferral);
        Rules(A.History(A.Referral("2022-01-24"), A.CinPlan("2022-01-24"))).ShouldBeEmpty();
    }

    // 8565: If CINclosureDate is present it must be on or after every assessment start and authorisation, S47
    // start, initial conference, plan end and CIN plan start and end of the episode.
    [Fact]
    public void rule_8565_activity_after_the_case_was_closed()
    {
        var referral = A.Referral("2022-10-06", referralId: "R-1");
        var closed = A.ReferralClosed("2023-02-27", "R-1");
        var authorised = A.AssessmentCompleted("2023-07-18");
        var planCeased = A.PlanCeased("2023-03-14");
        var cinPlanCeased = A.CinPlanCeased("2023-03-01");
        var history = A.History(referral, closed,
            A.AssessmentStarted("2022-10-07"), authorised,
            A.Conference("2022-11-01", s47Id: null), A.Plan("2022-11-01"), planCeased,
            A.CinPlan("2023-01-24"), cinPlanCeased,
            A.S47("2023-02-27"));

        var findings = Rules(history);

        findings.ShouldAllBe(f => f.Rule == CensusRules.ActivityAfterClosure);
        findings.Select(f => f.EventId).ShouldBe([authorised.EventId, planCeased.EventId, cinPlanCeased.EventId], ignoreOrder: true);
    }

    [Fact]
    public void rule_8565_leaves_activity_of_a_later_episode_alone()
    {
        var history = A.History(
            A.Referral("2022-10-06", referralId: "R-1"), A.ReferralClosed("2023-02-27", "R-1"),
            A.Referral("2023-05-01", referralId: "R-2"), A.AssessmentStarted("2023-05-02"));

        Rules(history).ShouldBeEmpty();
    }

    [Fact]
    public void rule_8565_an_ending_whose_start_is_before_every_referral_belongs_to_the_episode_of_its_own_date()
    {
        var planCeased = A.PlanCeased("2023-03-14");
        var history = A.History(A.Plan("2022-02-17"), A.Referral("2022-10-06", referralId: "R-1"), A.ReferralClosed("2023-02-27", "R-1"), planCeased);

        CensusRules.Of(history).Single(f => f.Rule == CensusRules.ActivityAfterClosure).EventId.ShouldBe(planCeased.EventId);
    }

    // 8608: If present, AssessmentAuthorisationDate must be on or after AssessmentActualStartDate.
    [Fact]
    public void rule_8608_an_assessment_authorised_before_it_started()
    {
        var authorised = A.AssessmentCompleted("2020-09-19");
        ShouldBeTheOnlyFinding(A.History(A.Referral("2020-01-01"), A.AssessmentStarted("2020-09-20"), authorised), authorised, CensusRules.AssessmentEndsBeforeStart);
        Rules(A.History(A.Referral("2020-01-01"), A.AssessmentStarted("2020-09-19"), A.AssessmentCompleted("2020-09-19"))).ShouldBeEmpty();
    }

    // 8615: Within a Section47 group, if DateOfInitialCPC is present then S47ActualStartDate must be present and on
    // or before it.
    [Fact]
    public void rule_8615_a_conference_before_or_without_its_s47()
    {
        var before = A.Conference("2020-01-01", s47Id: "S-1");
        ShouldBeTheOnlyFinding(A.History(A.Referral("2019-12-01"), A.S47("2020-02-01", s47Id: "S-1"), before), before, CensusRules.ConferenceBeforeS47);

        var orphan = A.Conference("2020-01-01", s47Id: "S-9");
        ShouldBeTheOnlyFinding(A.History(A.Referral("2019-12-01"), orphan), orphan, CensusRules.ConferenceBeforeS47)
            .Message.ShouldContain("has not been received");

        Rules(A.History(A.Referral("2019-12-01"), A.S47("2020-01-01", s47Id: "S-1"), A.Conference("2020-01-01", s47Id: "S-1"))).ShouldBeEmpty();
        Rules(A.History(A.Referral("2019-12-01"), A.Conference("2020-01-01", s47Id: null))).ShouldBeEmpty();
    }

    // 8630: CINclosureDate must be on or after CINreferralDate.
    [Fact]
    public void rule_8630_a_closure_before_its_referral()
    {
        var closed = A.ReferralClosed("2020-01-31", "R-1");
        ShouldBeTheOnlyFinding(A.History(A.Referral("2020-02-01", referralId: "R-1"), closed), closed, CensusRules.ClosureBeforeReferral);
        Rules(A.History(A.Referral("2020-02-01", referralId: "R-1"), A.ReferralClosed("2020-02-01", "R-1"))).ShouldBeEmpty();
    }

    // 8816: An episode with no CINclosureDate and ReferralNFA false must have the child's latest referral date.
    [Fact]
    public void rule_8816_an_open_episode_that_is_not_the_latest()
    {
        var open = A.Referral("2020-01-01", referralId: "R-1");
        var latest = A.Referral("2021-01-01", referralId: "R-2");
        Rules(A.History(open, latest)).Where(f => f.Rule == CensusRules.OpenEpisodeNotLatest)
            .ShouldHaveSingleItem().EventId.ShouldBe(open.EventId);

        Rules(A.History(open, A.NoFurtherAction("2020-01-01", "R-1"), latest)).ShouldBeEmpty();
        Rules(A.History(open, A.ReferralClosed("2020-06-01", "R-1"), latest)).ShouldBeEmpty();
    }

    // 8820: A CINreferralDate must not fall between another episode's referral and closure dates, or after its
    // referral date when it has no closure and is not NFA; one episode may end on the day the next begins.
    [Fact]
    public void rule_8820_overlapping_episodes()
    {
        var inside = A.Referral("2000-08-26", referralId: "R-2");
        ShouldBeTheOnlyFinding(
            A.History(A.Referral("2000-05-26", referralId: "R-1"), A.ReferralClosed("2000-10-26", "R-1"), inside, A.ReferralClosed("2000-09-01", "R-2")),
            inside, CensusRules.OverlappingEpisodes);

        Rules(A.History(A.Referral("2000-05-26", referralId: "R-1"), A.ReferralClosed("2000-10-26", "R-1"),
            A.Referral("2000-10-26", referralId: "R-2"), A.ReferralClosed("2000-12-26", "R-2"))).ShouldBeEmpty();
    }

    [Fact]
    public void rule_8820_an_open_episode_contains_every_later_referral_but_one_taken_no_further_does_not()
    {
        var later = A.Referral("2000-10-26", referralId: "R-2");
        var findings = Rules(A.History(A.Referral("2000-05-26", referralId: "R-1"), later));
        findings.Single(f => f.Rule == CensusRules.OverlappingEpisodes).EventId.ShouldBe(later.EventId);

        Rules(A.History(A.Referral("2000-05-26", referralId: "R-1"), A.NoFurtherAction("2000-05-26", "R-1"), later)).ShouldBeEmpty();
    }

    // 8831: If ReferralNFA is true, the episode cannot have an assessment start or authorisation, an S47 start or
    // an initial conference.
    [Fact]
    public void rule_8831_activity_on_a_referral_taken_no_further()
    {
        var conference = A.Conference("2020-09-29", s47Id: null);
        var assessment = A.AssessmentStarted("2020-07-20");
        var history = A.History(A.Referral("2020-07-13", referralId: "R-1"), A.NoFurtherAction("2020-07-13", "R-1"), assessment, conference);

        var findings = Rules(history);

        findings.ShouldAllBe(f => f.Rule == CensusRules.ActivityAfterNoFurtherAction);
        findings.Select(f => f.EventId).ShouldBe([assessment.EventId, conference.EventId], ignoreOrder: true);
        Rules(A.History(A.Referral("2020-07-13", referralId: "R-1"), A.AssessmentStarted("2020-07-20"))).ShouldBeEmpty();
        Rules(A.History(A.Referral("2020-07-13", referralId: "R-1"), A.NoFurtherAction("2020-07-13", "R-1"),
            A.Referral("2020-08-01", referralId: "R-2"), A.AssessmentStarted("2020-08-02"))).ShouldBeEmpty();
    }

    // 8840: A child protection plan cannot start and end on the same day.
    [Fact]
    public void rule_8840_a_plan_starting_and_ending_the_same_day()
    {
        var ceased = A.PlanCeased("2021-05-26");
        ShouldBeTheOnlyFinding(A.History(A.Referral("2021-05-01"), A.Conference("2021-05-26", s47Id: null), A.Plan("2021-05-26"), ceased), ceased, CensusRules.PlanStartsAndEndsSameDay);
        Rules(A.History(A.Referral("2021-05-01"), A.Conference("2021-05-26", s47Id: null), A.Plan("2021-05-26"), A.PlanCeased("2021-05-27"))).ShouldBeEmpty();
    }

    // 8841: A review date cannot be on the same day as, or before, the plan's start.
    [Fact]
    public void rule_8841_a_review_on_or_before_the_plan_s_start()
    {
        var sameDay = A.PlanReviewed("2021-05-26");
        var before = A.PlanReviewed("2021-05-25");
        var findings = Rules(A.History(A.Referral("2021-05-01"), A.Conference("2021-05-26", s47Id: null), A.Plan("2021-05-26"), sameDay, before, A.PlanReviewed("2021-05-27")));
        findings.ShouldAllBe(f => f.Rule == CensusRules.ReviewNotAfterPlanStart);
        findings.Select(f => f.EventId).ShouldBe([sameDay.EventId, before.EventId], ignoreOrder: true);
    }

    // 8935: Only one ChildProtectionPlans group may have no CPPendDate.
    [Fact]
    public void rule_8935_more_than_one_open_plan()
    {
        var second = A.Plan("2021-03-01", planId: "P-2");
        var findings = Rules(A.History(A.Referral("2021-01-01"), A.Conference("2021-01-10", s47Id: null), A.Conference("2021-03-01", s47Id: null),
            A.Plan("2021-01-10", planId: "P-1"), second));
        findings.Single(f => f.Rule == CensusRules.SeveralOpenPlans).EventId.ShouldBe(second.EventId);

        Rules(A.History(A.Referral("2021-01-01"), A.Conference("2021-01-10", s47Id: null), A.Conference("2021-03-01", s47Id: null),
            A.Plan("2021-01-10", planId: "P-1"), A.PlanCeased("2021-02-01", planId: "P-1"), A.Plan("2021-03-01", planId: "P-2"))).ShouldBeEmpty();
    }

    // 8940: A CPPstartDate cannot fall within another plan's start and end dates, or after its start when it has no end.
    [Fact]
    public void rule_8940_overlapping_plans_end_date_included()
    {
        var onTheEndDay = A.Plan("2001-03-31", planId: "P-2");
        var history = A.History(A.Referral("2000-10-01"), A.Conference("2000-10-26", s47Id: null), A.Conference("2001-03-31", s47Id: null),
            A.Plan("2000-10-26", planId: "P-1"), A.PlanCeased("2001-03-31", planId: "P-1"), onTheEndDay);
        ShouldBeTheOnlyFinding(history, onTheEndDay, CensusRules.OverlappingPlans);

        Rules(A.History(A.Referral("2000-05-01"), A.Conference("2000-05-26", s47Id: null), A.Conference("2000-10-26", s47Id: null),
            A.Plan("2000-05-26", planId: "P-1"), A.PlanCeased("2000-10-25", planId: "P-1"), A.Plan("2000-10-26", planId: "P-2"))).ShouldBeEmpty();
    }

    [Fact]
    public void a_complete_and_consistent_episode_breaks_no_rule()
    {
        var history = A.History(
            A.Referral("2022-10-06", referralId: "R-1"),
            A.AssessmentStarted("2022-10-07"), A.AssessmentCompleted("2022-10-30"),
            A.S47("2022-10-08"), A.Conference("2022-10-20", s47Id: "S-1"), A.Plan("2022-10-20"), A.PlanReviewed("2023-01-20"),
            A.PlanCeased("2023-04-20"), A.CinPlan("2023-04-20"), A.CinPlanCeased("2023-09-01"),
            A.ReferralClosed("2023-09-01", "R-1"));

        Rules(history).ShouldBeEmpty();
        CensusRules.Episodes(history).ShouldHaveSingleItem().IsOpen.ShouldBeFalse();
    }

    [Fact]
    public void every_rule_has_the_dfe_s_message_and_a_retracted_event_breaks_none()
    {
        CensusRules.DfeMessages.Count.ShouldBe(16);
        var early = A.AssessmentStarted("2022-06-03");
        Rules(A.History(A.Referral("2022-10-06"), early, A.Retraction(early))).ShouldBeEmpty();
    }

    [Fact]
    public void the_rules_are_one_table_in_the_dfe_s_numbering_order_each_checking_on_its_own()
    {
        CensusRules.All.Select(r => r.Code).ShouldBeUnique();
        CensusRules.All.Select(r => int.Parse(r.Code[4..], System.Globalization.CultureInfo.InvariantCulture)).ShouldBeInOrder();

        // A plan started before any referral, on no conference day: two rules, each finding it by itself.
        var plan = A.Plan("2016-05-04", planId: "P-1");
        var record = new CensusRecord(A.History(plan));
        CensusRules.All.Single(r => r.Code == CensusRules.PlanBeforeReferral).Check(record).ShouldHaveSingleItem().Event.ShouldBe(plan);
        CensusRules.All.Single(r => r.Code == CensusRules.PlanNotOnConferenceDate).Check(record).ShouldHaveSingleItem().Event.ShouldBe(plan);
        CensusRules.All.Where(r => r.Code is not (CensusRules.PlanBeforeReferral or CensusRules.PlanNotOnConferenceDate))
            .SelectMany(r => r.Check(record)).ShouldBeEmpty();
    }

    private static List<Finding> Rules(ChildHistory history) => [.. CensusRules.Of(history)];

    private static Finding ShouldBeTheOnlyFinding(ChildHistory history, CaseEvent offending, string rule)
    {
        var finding = CensusRules.Of(history).ShouldHaveSingleItem();
        finding.Rule.ShouldBe(rule);
        finding.EventId.ShouldBe(offending.EventId);
        finding.Message.ShouldStartWith(CensusRules.DfeMessages[rule]);
        finding.Message.ShouldContain($"(DfE {rule[4..]})");
        return finding;
    }
}
