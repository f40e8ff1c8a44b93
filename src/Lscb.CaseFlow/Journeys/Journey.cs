using Lscb.CaseFlow.Events;

namespace Lscb.CaseFlow.Journeys;

/// <summary>An event as this system stored it.</summary>
public sealed record StoredEvent(CaseEvent Event, long Sequence, DateTimeOffset RecordedAt);

/// <summary>A note that helps an auditor read the pathway, such as "re-referral within 12 months".</summary>
public sealed record Annotation(string Code, string Text);

public sealed record JourneyStep(StoredEvent Stored, bool Retracted, IReadOnlyList<Annotation> Annotations)
{
    public CaseEvent Event => Stored.Event;
}

public sealed record JourneyStatus(bool OnPlan, bool LookedAfter);

/// <summary>A child's pathway as it stood at the end of <see cref="AsOf"/>.</summary>
public sealed record Journey(string ChildId, DateOnly AsOf, IReadOnlyList<JourneyStep> Steps, JourneyStatus Status)
{
    public static class Codes
    {
        public const string ReReferral = "re-referral-within-12-months";
        public const string ConsentDeclinedBeforeReReferral = "consent-declined-before-re-referral";
        public const string ProceededToAssessmentOrS47 = "proceeded-to-assessment-or-s47";
        public const string LedToConference = "led-to-initial-conference";
        public const string RepeatPlan = "second-or-subsequent-plan";
        public const string RepeatPlanWithin2Years = "repeat-plan-within-2-years";
        public const string PlanOpen18Months = "plan-open-18-months";
        public const string PlanLasted2Years = "plan-lasted-2-years-or-more";
        public const string ShortBreak = "short-break";
        public const string Retracted = "retracted";
        public const string AssessmentTimeliness = "assessment-working-days";
        public const string ConferenceTimeliness = "conference-working-days";
        public const string ReviewTimeliness = "review-timeliness";
    }

    /// <summary>
    /// Replays a child's stored events as they stood at the end of <paramref name="asOf"/>: events dated
    /// after it are left out; a retraction takes its event back whatever the retraction's date, as in the KPIs.
    /// Ordered by <c>occurredOn</c>, then by the order they were stored (as api.md fixes). What the journey says
    /// (retracted, annotations, status) depends only on the events, never on the order or batching they arrived
    /// in; only the order of events dated the same day follows their arrival. Annotations use what was known by
    /// <paramref name="asOf"/>: a decision dated after it is not yet shown.
    /// </summary>
    public static Journey Replay(string childId, IEnumerable<StoredEvent> stored, DateOnly asOf)
    {
        var all = stored.ToList();
        var history = ChildHistory.Of(all.Select(s => s.Event));
        var asAt = history.AsOf(asOf);

        var steps = all
            .Where(s => s.Event.OccurredOn <= asOf)
            .OrderBy(s => s.Event.OccurredOn).ThenBy(s => s.Sequence)
            .Select(s => new JourneyStep(s, history.IsRetracted(s.Event), Annotate(s.Event, history, asAt, asOf)))
            .ToList();

        return new Journey(childId, asOf, steps,
            new JourneyStatus(Pathway.IsOnPlanAt(asAt, asOf), Pathway.IsLookedAfterAt(asAt, asOf)));
    }

    private static List<Annotation> Annotate(CaseEvent e, ChildHistory history, ChildHistory asAt, DateOnly asOf)
    {
        var notes = new List<Annotation>();
        if (history.Retracted.TryGetValue(e, out var retraction))
        {
            notes.Add(new(Codes.Retracted, $"Recorded in error (retraction {retraction.EventId} on {retraction.OccurredOn:yyyy-MM-dd}: {retraction.Reason}); counted nowhere."));
            return notes;
        }

        switch (e)
        {
            case ReferralAccepted referral when Pathway.IsReReferral(asAt, referral):
                notes.Add(new(Codes.ReReferral, $"Re-referral within 12 months of the referral on {Pathway.PreviousReferral(asAt, referral)!.OccurredOn:yyyy-MM-dd}."));
                if (Pathway.ConsentDeclinedBeforeReReferral(asAt, referral) is { } declined)
                {
                    notes.Add(new(Codes.ConsentDeclinedBeforeReReferral, $"Consent was declined on {declined.OccurredOn:yyyy-MM-dd}, after the previous referral and before this one."));
                }

                break;
            case ContactReceived contact when Pathway.ProceededToAssessmentOrS47(asAt, contact):
                notes.Add(new(Codes.ProceededToAssessmentOrS47, "The MASH decided on an assessment or a section 47 enquiry."));
                break;
            case S47EnquiryStarted s47 when Pathway.LedToInitialConference(asAt, s47):
                notes.Add(new(Codes.LedToConference, "Led to an initial child protection conference."));
                break;
            case PlanStarted start:
                if (Pathway.IsRepeatPlan(asAt, start))
                {
                    notes.Add(new(Codes.RepeatPlan, "Second or subsequent child protection plan."));
                }

                if (Pathway.EarlierPlanCeasedWithin2Years(asAt, start) is { } earlier)
                {
                    notes.Add(new(Codes.RepeatPlanWithin2Years, $"Repeat plan within 2 years: plan {earlier.PlanId} ceased on {earlier.Ceased!.OccurredOn:yyyy-MM-dd}."));
                }

                if (Pathway.Plans(asAt).FirstOrDefault(p => p.Start == start) is { } plan
                    && plan.Reaches18MonthsOn <= asOf && plan.IsOpenAt(plan.Reaches18MonthsOn))
                {
                    notes.Add(new(Codes.PlanOpen18Months, $"Plan open 18 months on {plan.Reaches18MonthsOn:yyyy-MM-dd}."));
                }

                break;
            case PlanCeased cease when Pathway.PlanOf(asAt, cease) is { } ceasedPlan && Pathway.Lasted2YearsOrMore(ceasedPlan, cease):
                notes.Add(new(Codes.PlanLasted2Years, $"Plan lasted 2 years or more (started {ceasedPlan.StartedOn:yyyy-MM-dd})."));
                break;
            case AssessmentCompleted completed when Timeliness.WorkingDaysOf(asAt, completed) is { } took:
                notes.Add(new(Codes.AssessmentTimeliness, took <= Timeliness.AssessmentWorkingDays
                    ? $"Assessment completed in {took} working days (within 45)."
                    : $"Assessment completed in {took} working days: {took - Timeliness.AssessmentWorkingDays} beyond the 45 allowed."));
                break;
            case InitialConferenceHeld conference when Timeliness.WorkingDaysOf(asAt, conference) is { } days:
                notes.Add(new(Codes.ConferenceTimeliness, days <= Timeliness.ConferenceWorkingDays
                    ? $"ICPC {days} working days after the S47 started (within 15)."
                    : $"ICPC {days} working days after the S47 started: {days - Timeliness.ConferenceWorkingDays} beyond the 15 allowed."));
                break;
            case PlanReviewed review when Pathway.Plans(asAt).FirstOrDefault(p => p.PlanId == review.PlanId) is { } reviewed
                && Timeliness.ReviewDeadlines(asAt, reviewed).Where(d => d.Review == review.OccurredOn)
                    .Select(d => (DateOnly?)d.Due).FirstOrDefault() is { } due:
                notes.Add(new(Codes.ReviewTimeliness, Late(review.OccurredOn, due)));
                break;
            case BecameLookedAfter start when Pathway.CareEpisodes(asAt).FirstOrDefault(x => x.Start == start) is { IsShortBreak: true }:
                notes.Add(new(Codes.ShortBreak, "Short-break placement: not counted as looked after."));
                break;
        }

        return notes;
    }

    /// <summary>"Review on time (due by …)" or "review 2 weeks late (due by …)", in the words an auditor reads.</summary>
    private static string Late(DateOnly review, DateOnly due)
    {
        var days = review.DayNumber - due.DayNumber;
        if (days <= 0)
        {
            return $"Review on time (due by {due:yyyy-MM-dd}).";
        }

        var late = days switch
        {
            1 => "1 day",
            < 14 => $"{days} days",
            < 56 => $"{days / 7} weeks",
            _ => $"{days / 30} months",
        };
        return $"Review {late} late (due by {due:yyyy-MM-dd}).";
    }
}
