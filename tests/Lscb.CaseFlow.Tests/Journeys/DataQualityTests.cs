using Lscb.CaseFlow.Events;
using Lscb.CaseFlow.Journeys;
using Lscb.CaseFlow.Tests.Support;

namespace Lscb.CaseFlow.Tests.Journeys;

public class DataQualityTests
{
    [Fact]
    public void plan_ceased_with_no_start_is_a_finding()
    {
        var cease = A.PlanCeased("2017-06-30", planId: "P-1");

        ShouldBeTheOnlyFinding(A.History(cease), cease, DataQuality.PlanCeasedWithoutStart)
            .Message.ShouldContain("P-1");
    }

    [Fact]
    public void finding_disappears_when_the_missing_start_arrives()
    {
        var cease = A.PlanCeased("2017-06-30");

        DataQuality.Of(A.History(cease)).ShouldNotBeEmpty();
        DataQuality.Of(A.History(cease, A.Plan("2016-05-04"))).ShouldBeEmpty();
    }

    [Fact]
    public void retracting_a_plan_s_start_leaves_its_cease_without_a_start()
    {
        var start = A.Plan("2016-05-04");
        var cease = A.PlanCeased("2017-06-30");

        ShouldBeTheOnlyFinding(A.History(start, cease, A.Retraction(start)), cease, DataQuality.PlanCeasedWithoutStart);
    }

    [Fact]
    public void plan_ceased_before_it_started_is_a_finding()
    {
        var cease = A.PlanCeased("2016-05-03");

        ShouldBeTheOnlyFinding(A.History(A.Plan("2016-05-04"), cease), cease, DataQuality.PlanCeasedBeforeStart);
    }

    [Fact]
    public void plan_ceased_on_the_day_it_started_is_not_a_finding()
    {
        DataQuality.Of(A.History(A.Plan("2016-05-04"), A.PlanCeased("2016-05-04"))).ShouldBeEmpty();
    }

    [Fact]
    public void plan_started_while_another_is_open_is_a_finding()
    {
        var second = A.Plan("2017-03-01", planId: "P-2");
        var history = A.History(A.Plan("2016-05-04", planId: "P-1"), second);

        ShouldBeTheOnlyFinding(history, second, DataQuality.PlanStartedWhileAnotherOpen).Message.ShouldContain("P-1");
    }

    [Fact]
    public void plans_started_on_the_same_day_give_one_finding_for_the_later_plan_id()
    {
        var later = A.Plan("2016-05-04", planId: "P-2");
        var history = A.History(later, A.Plan("2016-05-04", planId: "P-1"));

        ShouldBeTheOnlyFinding(history, later, DataQuality.PlanStartedWhileAnotherOpen);
    }

    [Fact]
    public void plan_started_on_the_day_the_previous_ceased_is_a_finding_as_in_the_census()
    {
        var second = A.Plan("2017-06-30", planId: "P-2");
        var history = A.History(A.Plan("2016-05-04", planId: "P-1"), A.PlanCeased("2017-06-30", planId: "P-1"), second);

        ShouldBeTheOnlyFinding(history, second, DataQuality.PlanStartedWhileAnotherOpen).Message.ShouldContain("ceased that day");
        CensusRules.Of(history).ShouldContain(f => f.Rule == CensusRules.OverlappingPlans);
    }

    [Fact]
    public void plan_started_the_day_after_the_previous_ceased_is_not_a_finding()
    {
        var history = A.History(
            A.Plan("2016-05-04", planId: "P-1"), A.PlanCeased("2017-06-30", planId: "P-1"), A.Plan("2017-07-01", planId: "P-2"));

        DataQuality.Of(history).ShouldBeEmpty();
        CensusRules.Of(history).ShouldNotContain(f => f.Rule == CensusRules.OverlappingPlans);
    }

    [Fact]
    public void conference_naming_an_unknown_s47_is_a_finding()
    {
        var conference = A.Conference("2016-05-04", s47Id: "S-9");

        ShouldBeTheOnlyFinding(A.History(A.S47("2016-04-13", s47Id: "S-1"), conference), conference, DataQuality.ConferenceForUnknownS47)
            .Message.ShouldContain("S-9");
    }

    [Fact]
    public void conference_naming_no_s47_is_not_a_finding()
    {
        DataQuality.Of(A.History(A.Conference("2016-05-04", s47Id: null))).ShouldBeEmpty();
    }

    [Fact]
    public void s47_completed_without_its_start_is_a_finding()
    {
        var completed = A.S47Completed("2016-04-27");

        ShouldBeTheOnlyFinding(A.History(completed), completed, DataQuality.S47CompletedWithoutStart);
        DataQuality.Of(A.History(completed, A.S47("2016-04-13"))).ShouldBeEmpty();
    }

    [Fact]
    public void decision_on_an_unknown_contact_is_a_finding()
    {
        var decision = A.Decision("2016-04-13", "section-47", contactId: "CT-9");

        ShouldBeTheOnlyFinding(A.History(A.Contact("2016-04-12", contactId: "CT-1"), decision), decision, DataQuality.DecisionForUnknownContact)
            .Message.ShouldContain("CT-9");
        DataQuality.Of(A.History(A.Contact("2016-04-12", contactId: "CT-9"), decision)).ShouldBeEmpty();
    }

    [Fact]
    public void assessment_completed_without_its_start_is_a_finding()
    {
        var completed = A.AssessmentCompleted("2015-12-22");

        ShouldBeTheOnlyFinding(A.History(completed), completed, DataQuality.AssessmentCompletedWithoutStart);
        DataQuality.Of(A.History(completed, A.AssessmentStarted("2015-11-18"))).ShouldBeEmpty();
    }

    [Fact]
    public void care_ended_without_its_start_is_a_finding()
    {
        var ended = A.CareEnded("2019-02-01");

        ShouldBeTheOnlyFinding(A.History(ended), ended, DataQuality.CareEndedWithoutStart);
        DataQuality.Of(A.History(ended, A.Care("2018-09-10"))).ShouldBeEmpty();
    }

    [Fact]
    public void care_ended_before_it_started_is_a_finding()
    {
        var ended = A.CareEnded("2018-09-09");

        ShouldBeTheOnlyFinding(A.History(A.Care("2018-09-10"), ended), ended, DataQuality.CareEndedBeforeStart);
    }

    [Fact]
    public void retracted_event_gives_no_finding()
    {
        var cease = A.PlanCeased("2017-06-30");

        DataQuality.Of(A.History(cease, A.Retraction(cease))).ShouldBeEmpty();
    }

    [Fact]
    public void naseem_s_family_has_no_findings()
    {
        foreach (var child in Naseem.Children)
        {
            DataQuality.Of(Naseem.HistoryOf(child)).ShouldBeEmpty(child);
        }
    }

    private static Finding ShouldBeTheOnlyFinding(ChildHistory history, CaseEvent offending, string rule)
    {
        var finding = DataQuality.Of(history).ShouldHaveSingleItem();
        finding.Rule.ShouldBe(rule);
        finding.Source.ShouldBe(offending.Source);
        finding.EventId.ShouldBe(offending.EventId);
        return finding;
    }
}
