using Lscb.CaseFlow.Events;

namespace Lscb.CaseFlow.Journeys;

/// <summary>
/// A sequence that looks wrong but may be explained by late or missing data. It is accepted and listed,
/// never dropped, and disappears when the missing event arrives.
/// </summary>
public sealed record Finding(string Source, string EventId, string Rule, string Message);

public static class DataQuality
{
    public const string PlanCeasedWithoutStart = "plan-ceased-without-start";
    public const string PlanCeasedBeforeStart = "plan-ceased-before-start";
    public const string PlanStartedWhileAnotherOpen = "plan-started-while-another-open";
    public const string ConferenceForUnknownS47 = "icpc-unknown-s47";
    public const string DecisionForUnknownContact = "mash-decision-unknown-contact";
    public const string CareEndedWithoutStart = "lac-ceased-without-start";
    public const string CareEndedBeforeStart = "lac-ceased-before-start";
    public const string AssessmentCompletedWithoutStart = "assessment-completed-without-start";
    public const string S47CompletedWithoutStart = "s47-completed-without-start";

    public static IReadOnlyList<Finding> Of(ChildHistory history)
    {
        var findings = new List<Finding>();
        void Add(CaseEvent e, string rule, string message) => findings.Add(new(e.Source, e.EventId, rule, message));

        var plans = Pathway.Plans(history).ToDictionary(p => p.PlanId);
        foreach (var cease in history.All<PlanCeased>())
        {
            if (!plans.TryGetValue(cease.PlanId, out var plan))
            {
                Add(cease, PlanCeasedWithoutStart, $"Plan {cease.PlanId} ceased on {cease.OccurredOn:yyyy-MM-dd} but no start has been received for it.");
            }
            else if (cease.OccurredOn < plan.StartedOn)
            {
                Add(cease, PlanCeasedBeforeStart, $"Plan {cease.PlanId} ceased on {cease.OccurredOn:yyyy-MM-dd}, before it started on {plan.StartedOn:yyyy-MM-dd}.");
            }
        }

        foreach (var plan in plans.Values)
        {
            var open = plans.Values.FirstOrDefault(other => other.PlanId != plan.PlanId
                && (other.StartedOn < plan.StartedOn
                    || (other.StartedOn == plan.StartedOn && string.CompareOrdinal(other.PlanId, plan.PlanId) < 0))
                && other.ContainsStartOf(plan));
            if (open is not null)
            {
                var sameDay = open.Ceased?.OccurredOn == plan.StartedOn ? " (it ceased that day)" : "";
                Add(plan.Start, PlanStartedWhileAnotherOpen, $"Plan {plan.PlanId} started on {plan.StartedOn:yyyy-MM-dd} while plan {open.PlanId} (started {open.StartedOn:yyyy-MM-dd}) was still open{sameDay}.");
            }
        }

        var s47s = history.All<S47EnquiryStarted>().Select(s => s.S47Id).ToHashSet();
        foreach (var conference in history.All<InitialConferenceHeld>())
        {
            if (conference.S47Id is { } s47Id && !s47s.Contains(s47Id))
            {
                Add(conference, ConferenceForUnknownS47, $"Conference {conference.ConferenceId} names S47 enquiry {s47Id}, which has not been received.");
            }
        }

        foreach (var completed in history.All<S47EnquiryCompleted>().Where(c => !s47s.Contains(c.S47Id)))
        {
            Add(completed, S47CompletedWithoutStart, $"S47 enquiry {completed.S47Id} concluded but its start has not been received.");
        }

        var contacts = history.All<ContactReceived>().Select(c => c.ContactId).ToHashSet();
        foreach (var decision in history.All<MashDecisionMade>().Where(d => !contacts.Contains(d.ContactId)))
        {
            Add(decision, DecisionForUnknownContact, $"A MASH decision was made on contact {decision.ContactId}, which has not been received.");
        }

        var assessments = history.All<AssessmentStarted>().Select(a => a.AssessmentId).ToHashSet();
        foreach (var completed in history.All<AssessmentCompleted>().Where(a => !assessments.Contains(a.AssessmentId)))
        {
            Add(completed, AssessmentCompletedWithoutStart, $"Assessment {completed.AssessmentId} was completed but its start has not been received.");
        }

        var episodes = Pathway.CareEpisodes(history).ToDictionary(e => e.EpisodeId);
        foreach (var ended in history.All<CeasedToBeLookedAfter>())
        {
            if (!episodes.TryGetValue(ended.EpisodeId, out var episode))
            {
                Add(ended, CareEndedWithoutStart, $"Care episode {ended.EpisodeId} ended on {ended.OccurredOn:yyyy-MM-dd} but its start has not been received.");
            }
            else if (ended.OccurredOn < episode.Start.OccurredOn)
            {
                Add(ended, CareEndedBeforeStart, $"Care episode {ended.EpisodeId} ended on {ended.OccurredOn:yyyy-MM-dd}, before it started on {episode.Start.OccurredOn:yyyy-MM-dd}.");
            }
        }

        return findings;
    }
}
