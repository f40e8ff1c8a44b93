using Lscb.CaseFlow.Events;
using Lscb.CaseFlow.Journeys;
using Lscb.CaseFlow.Tests.Support;

namespace Lscb.CaseFlow.Tests.Journeys;

public class JourneyTests
{
    private static readonly DateOnly EndOf2018 = A.Day("2018-12-31");

    [Fact]
    public void steps_are_ordered_by_date_then_by_the_order_they_were_stored()
    {
        var stored = Naseem.StoredOf(Naseem.NaseemId);

        var journey = Journey.Replay(Naseem.NaseemId, stored.Reverse(), EndOf2018);

        journey.Steps.Select(s => s.Stored).ShouldBe(stored.OrderBy(s => s.Event.OccurredOn).ThenBy(s => s.Sequence).ToList());
        journey.Steps.Where(s => s.Event.OccurredOn == A.Day("2016-04-13")).Select(s => s.Event.EventId)
            .ShouldBe(["naseem-013", "naseem-014", "naseem-015", "naseem-016"]);
    }

    [Fact]
    public void same_day_steps_follow_the_store_s_sequence_not_the_event_ids()
    {
        var referral = A.Referral("2016-04-13");
        var decision = A.Decision("2016-04-13", "section-47");
        StoredEvent[] stored = [Stored(referral, sequence: 2), Stored(decision, sequence: 1)];

        Journey.Replay("C1", stored, EndOf2018).Steps.Select(s => s.Event).ShouldBe([decision, referral]);
    }

    [Fact]
    public void journey_names_the_child_and_its_date()
    {
        var journey = Journey.Replay(Naseem.NaseemId, Naseem.StoredOf(Naseem.NaseemId), EndOf2018);

        journey.ChildId.ShouldBe(Naseem.NaseemId);
        journey.AsOf.ShouldBe(EndOf2018);
        journey.Steps.Count.ShouldBe(Naseem.StoredOf(Naseem.NaseemId).Count);
    }

    [Fact]
    public void retracted_event_is_shown_and_marked()
    {
        var journey = Journey.Replay(Naseem.NaseemId, Naseem.StoredOf(Naseem.NaseemId), EndOf2018);

        var retracted = Step(journey, "naseem-028");
        retracted.Retracted.ShouldBeTrue();
        var note = retracted.Annotations.ShouldHaveSingleItem();
        note.Code.ShouldBe(Journey.Codes.Retracted);
        note.Text.ShouldContain("naseem-029");
        note.Text.ShouldContain("recorded against the wrong child");

        Step(journey, "naseem-029").Retracted.ShouldBeFalse();
        journey.Steps.Where(s => s.Retracted).Select(s => s.Event.EventId).ShouldBe(["naseem-028"]);
    }

    [Fact]
    public void retracted_step_carries_no_pathway_annotations()
    {
        var recordedInError = A.Referral("2016-04-13");
        var stored = Sequenced(A.Referral("2015-11-17"), recordedInError, A.Retraction(recordedInError));

        Step(Journey.Replay("C1", stored, EndOf2018), recordedInError.EventId).Annotations.Select(n => n.Code)
            .ShouldBe([Journey.Codes.Retracted]);
    }

    [Fact]
    public void event_is_marked_retracted_before_the_retraction_s_date()
    {
        var journey = Journey.Replay(Naseem.NaseemId, Naseem.StoredOf(Naseem.NaseemId), A.Day("2016-08-02"));

        Step(journey, "naseem-028").Retracted.ShouldBeTrue();
        journey.Steps.ShouldNotContain(s => s.Event.EventId == "naseem-029");
    }

    [Fact]
    public void as_of_leaves_out_later_events()
    {
        var journey = Journey.Replay(Naseem.NaseemId, Naseem.StoredOf(Naseem.NaseemId), A.Day("2016-05-04"));

        journey.Steps.Select(s => s.Event.EventId).ShouldBe(Enumerable.Range(1, 19).Select(n => $"naseem-{n:D3}"));
    }

    [Fact]
    public void naseem_s_second_referral_is_a_re_referral_after_consent_was_declined()
    {
        var journey = Journey.Replay(Naseem.NaseemId, Naseem.StoredOf(Naseem.NaseemId), EndOf2018);

        var notes = Step(journey, "naseem-014").Annotations;
        notes.Select(n => n.Code).ShouldBe([Journey.Codes.ReReferral, Journey.Codes.ConsentDeclinedBeforeReReferral]);
        notes[0].Text.ShouldContain("2015-11-17");
        notes[1].Text.ShouldContain("2016-01-08");
    }

    [Fact]
    public void naseem_s_first_and_third_referrals_are_not_re_referrals()
    {
        var journey = Journey.Replay(Naseem.NaseemId, Naseem.StoredOf(Naseem.NaseemId), EndOf2018);

        Step(journey, "naseem-007").Annotations.ShouldBeEmpty();
        Step(journey, "naseem-034").Annotations.ShouldBeEmpty();
    }

    [Fact]
    public void naseem_s_second_plan_is_a_repeat_within_2_years()
    {
        var journey = Journey.Replay(Naseem.NaseemId, Naseem.StoredOf(Naseem.NaseemId), EndOf2018);

        var notes = Step(journey, "naseem-038").Annotations;
        notes.Select(n => n.Code).ShouldBe([Journey.Codes.RepeatPlan, Journey.Codes.RepeatPlanWithin2Years]);
        notes[1].Text.ShouldContain("P-N1");
        notes[1].Text.ShouldContain("2017-12-14");
    }

    [Fact]
    public void naseem_s_first_plan_is_open_18_months_on_4_november_2017()
    {
        var stored = Naseem.StoredOf(Naseem.NaseemId);

        var onTheDay = Step(Journey.Replay(Naseem.NaseemId, stored, A.Day("2017-11-04")), "naseem-019").Annotations;
        var dayBefore = Step(Journey.Replay(Naseem.NaseemId, stored, A.Day("2017-11-03")), "naseem-019").Annotations;
        var afterItCeased = Step(Journey.Replay(Naseem.NaseemId, stored, EndOf2018), "naseem-019").Annotations;

        onTheDay.ShouldHaveSingleItem().ShouldBe(new Annotation(Journey.Codes.PlanOpen18Months, "Plan open 18 months on 2017-11-04."));
        dayBefore.ShouldBeEmpty();
        afterItCeased.Select(n => n.Code).ShouldBe([Journey.Codes.PlanOpen18Months]);
    }

    [Fact]
    public void plan_ceased_before_18_months_is_never_open_18_months()
    {
        var plan = A.Plan("2016-05-04");
        var stored = Sequenced(plan, A.PlanCeased("2017-11-03"));

        Step(Journey.Replay("C1", stored, EndOf2018), plan.EventId).Annotations.ShouldBeEmpty();
    }

    [Fact]
    public void naseem_s_contacts_and_enquiries_show_where_they_led()
    {
        var journey = Journey.Replay(Naseem.NaseemId, Naseem.StoredOf(Naseem.NaseemId), EndOf2018);

        Step(journey, "naseem-001").Annotations.ShouldBeEmpty();
        Step(journey, "naseem-005").Annotations.Select(n => n.Code).ShouldBe([Journey.Codes.ProceededToAssessmentOrS47]);
        Step(journey, "naseem-016").Annotations.Select(n => n.Code).ShouldBe([Journey.Codes.LedToConference]);
    }

    [Fact]
    public void annotations_only_use_what_was_known_by_the_journey_s_date()
    {
        var stored = Naseem.StoredOf(Naseem.NaseemId);

        Step(Journey.Replay(Naseem.NaseemId, stored, A.Day("2016-04-12")), "naseem-012").Annotations.ShouldBeEmpty();
        Step(Journey.Replay(Naseem.NaseemId, stored, A.Day("2016-04-13")), "naseem-012").Annotations
            .Select(n => n.Code).ShouldBe([Journey.Codes.ProceededToAssessmentOrS47]);
    }

    [Fact]
    public void plan_that_lasted_2_years_is_annotated_on_its_cease()
    {
        var cease = A.PlanCeased("2018-05-04");
        var stored = Sequenced(A.Plan("2016-05-04"), cease);

        Step(Journey.Replay("C1", stored, EndOf2018), cease.EventId).Annotations.Select(n => n.Code)
            .ShouldBe([Journey.Codes.PlanLasted2Years]);
    }

    [Fact]
    public void short_break_is_annotated_and_not_looked_after()
    {
        var shortBreak = A.Care("2018-09-10", "V3");

        var journey = Journey.Replay("C1", Sequenced(shortBreak), EndOf2018);

        Step(journey, shortBreak.EventId).Annotations.Select(n => n.Code).ShouldBe([Journey.Codes.ShortBreak]);
        journey.Status.LookedAfter.ShouldBeFalse();
    }

    [Theory]
    [InlineData("2016-05-03", false)]
    [InlineData("2016-05-04", true)]
    [InlineData("2017-12-13", true)]
    [InlineData("2017-12-14", false)]
    [InlineData("2018-03-20", true)]
    public void naseem_is_on_a_plan_while_one_is_open(string asOf, bool onPlan)
    {
        var journey = Journey.Replay(Naseem.NaseemId, Naseem.StoredOf(Naseem.NaseemId), A.Day(asOf));

        journey.Status.ShouldBe(new JourneyStatus(OnPlan: onPlan, LookedAfter: false));
    }

    [Fact]
    public void tara_is_looked_after_and_off_her_plan_at_the_end_of_2018()
    {
        Journey.Replay(Naseem.TaraId, Naseem.StoredOf(Naseem.TaraId), EndOf2018).Status
            .ShouldBe(new JourneyStatus(OnPlan: false, LookedAfter: true));
    }

    [Fact]
    public void an_auditor_reads_how_long_each_step_took_in_working_days()
    {
        var assessment = A.AssessmentCompleted("2016-06-08", "A-1");
        var conference = A.Conference("2016-04-27", s47Id: "S-1");
        var review = A.PlanReviewed("2016-08-18", "P-1");
        StoredEvent[] stored =
        [
            Stored(A.AssessmentStarted("2016-04-01", "A-1"), 1), Stored(assessment, 2), Stored(A.S47("2016-04-13", "S-1"), 3),
            Stored(conference, 4), Stored(A.Plan("2016-04-27", planId: "P-1"), 5), Stored(review, 6),
        ];

        var journey = Journey.Replay("C1", stored, EndOf2018);

        Step(journey, assessment.EventId).Annotations.ShouldContain(n => n.Text == "Assessment completed in 46 working days: 1 beyond the 45 allowed.");
        Step(journey, conference.EventId).Annotations.ShouldContain(n => n.Text == "ICPC 10 working days after the S47 started (within 15).");
        Step(journey, review.EventId).Annotations.ShouldContain(n => n.Text == "Review 3 weeks late (due by 2016-07-27).");
    }

    private static JourneyStep Step(Journey journey, string eventId) =>
        journey.Steps.Single(s => s.Event.EventId == eventId);

    private static StoredEvent Stored(CaseEvent e, long sequence) => new(e, sequence, DateTimeOffset.UnixEpoch);

    private static StoredEvent[] Sequenced(params CaseEvent[] events) => [.. events.Select((e, i) => Stored(e, i + 1))];
}
