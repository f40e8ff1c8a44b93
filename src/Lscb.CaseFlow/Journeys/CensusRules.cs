using Lscb.CaseFlow.Events;

namespace Lscb.CaseFlow.Journeys;

/// <summary>
/// A child-in-need episode as the census records it: opened by a referral, ended by its closure, or taken no
/// further. Matched by referral id: the earliest referral, closure and no-further-action of each.
/// </summary>
public sealed record ReferralEpisode(ReferralAccepted Referral, ReferralClosed? Closed, NoFurtherActionDecided? NoFurtherAction)
{
    public string ReferralId => Referral.ReferralId;

    public DateOnly StartedOn => Referral.OccurredOn;

    /// <summary>Still open: neither closed nor a referral taken no further (the census's reading, rule 8820).</summary>
    public bool IsOpen => Closed is null && NoFurtherAction is null;
}

/// <summary>
/// The Department for Education's validation rules of the children-in-need census that apply to an event
/// history, each named by its rule number (<c>dfe-8820</c>) and worded as the DfE words it. Pure functions of a
/// child's history. Events carry no episode, so a step belongs to the child's latest referral dated on or before
/// it (an ending, such as a plan's cease, to the episode of its start, when its start has one). The rules assume the census's complete
/// records: the projection applies them to imported history only (docs/imports.md), never to live feeds, which
/// send no closures.
/// </summary>
public static class CensusRules
{
    public const string AssessmentBeforeReferral = "dfe-1103";
    public const string ConferenceBeforeReferral = "dfe-1104";
    public const string PlanBeforeReferral = "dfe-1105";
    public const string PlanNotOnConferenceDate = "dfe-2885";
    public const string ChildInNeedPlanBeforeReferral = "dfe-4015";
    public const string ActivityAfterClosure = "dfe-8565";
    public const string AssessmentEndsBeforeStart = "dfe-8608";
    public const string ConferenceBeforeS47 = "dfe-8615";
    public const string ClosureBeforeReferral = "dfe-8630";
    public const string OpenEpisodeNotLatest = "dfe-8816";
    public const string OverlappingEpisodes = "dfe-8820";
    public const string ActivityAfterNoFurtherAction = "dfe-8831";
    public const string PlanStartsAndEndsSameDay = "dfe-8840";
    public const string ReviewNotAfterPlanStart = "dfe-8841";
    public const string SeveralOpenPlans = "dfe-8935";
    public const string OverlappingPlans = "dfe-8940";

    /// <summary>Each rule's message as the DfE's validation rules word it.</summary>
    public static readonly IReadOnlyDictionary<string, string> DfeMessages = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [AssessmentBeforeReferral] = "The assessment start date cannot be before the referral date",
        [ConferenceBeforeReferral] = "The date of the initial child protection conference cannot be before the referral date",
        [PlanBeforeReferral] = "The child protection plan start date cannot be before the referral date",
        [PlanNotOnConferenceDate] = "Child protection plan shown as starting a different day to the initial child protection conference",
        [ChildInNeedPlanBeforeReferral] = "The CIN Plan start date cannot be before the referral date",
        [ActivityAfterClosure] = "Activity shown after a case has been closed",
        [AssessmentEndsBeforeStart] = "Assessment Start Date cannot be later than its End Date",
        [ConferenceBeforeS47] = "Section 47 Enquiry Start Date must be present and cannot be later than the date of the initial Child Protection Conference",
        [ClosureBeforeReferral] = "CIN Closure Date is before CIN Referral Date for the same CIN episode",
        [OpenEpisodeNotLatest] = "An open CIN episode is shown and case is not a referral with no further action, but it is not the latest episode",
        [OverlappingEpisodes] = "The dates on the CIN episodes for this child overlap",
        [ActivityAfterNoFurtherAction] = "Activity is recorded against a case marked as a referral with no further action",
        [PlanStartsAndEndsSameDay] = "Child Protection Plan cannot start and end on the same day",
        [ReviewNotAfterPlanStart] = "The review date cannot be on the same day or before the Child protection Plan start date",
        [SeveralOpenPlans] = "This child is showing more than one open Child Protection plan, i.e. with no End Date",
        [OverlappingPlans] = "Child Protection Plan data contains overlapping dates",
    };

    /// <summary>The child's episodes, one per referral id, in date order.</summary>
    public static IReadOnlyList<ReferralEpisode> Episodes(ChildHistory history)
    {
        var closed = history.All<ReferralClosed>().GroupBy(c => c.ReferralId)
            .ToDictionary(g => g.Key, g => g.MinBy(c => c.OccurredOn)!);
        var taken = history.All<NoFurtherActionDecided>().GroupBy(n => n.ReferralId)
            .ToDictionary(g => g.Key, g => g.MinBy(n => n.OccurredOn)!);
        return history.All<ReferralAccepted>().GroupBy(r => r.ReferralId)
            .Select(g => new ReferralEpisode(g.MinBy(r => r.OccurredOn)!, closed.GetValueOrDefault(g.Key), taken.GetValueOrDefault(g.Key)))
            .OrderBy(e => e.StartedOn).ThenBy(e => e.ReferralId, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The episode a step dated <paramref name="date"/> belongs to: the latest referral on or before it.</summary>
    public static ReferralEpisode? EpisodeAt(IReadOnlyList<ReferralEpisode> episodes, DateOnly date) =>
        episodes.LastOrDefault(e => e.StartedOn <= date);

    public static IReadOnlyList<Finding> Of(ChildHistory history)
    {
        var findings = new List<Finding>();
        var seen = new HashSet<(string, string, string)>();
        void Add(CaseEvent e, string rule, string detail)
        {
            if (seen.Add((e.Source, e.EventId, rule)))
            {
                findings.Add(new(e.Source, e.EventId, rule, $"{DfeMessages[rule]} (DfE {rule[4..]}): {detail}."));
            }
        }

        var episodes = Episodes(history);
        var assessmentStarts = Earliest(history.All<AssessmentStarted>(), a => a.AssessmentId);
        var s47Starts = Earliest(history.All<S47EnquiryStarted>(), s => s.S47Id);
        var cinPlanStarts = Earliest(history.All<ChildInNeedPlanStarted>(), p => p.CinPlanId);
        var plans = Pathway.Plans(history);
        var plansById = plans.ToDictionary(p => p.PlanId);

        string BeforeAnyReferral() => episodes.Count == 0
            ? "no referral of the child has been received"
            : $"the child's first referral is dated {episodes[0].StartedOn:yyyy-MM-dd}";

        // 1103, 1104, 1105, 4015: a step dated before its referral, that is, before any referral of the child.
        foreach (var a in history.All<AssessmentStarted>().Where(a => EpisodeAt(episodes, a.OccurredOn) is null))
        {
            Add(a, AssessmentBeforeReferral, $"assessment {a.AssessmentId} started on {a.OccurredOn:yyyy-MM-dd}, and {BeforeAnyReferral()}");
        }

        foreach (var c in history.All<InitialConferenceHeld>().Where(c => EpisodeAt(episodes, c.OccurredOn) is null))
        {
            Add(c, ConferenceBeforeReferral, $"conference {c.ConferenceId} was held on {c.OccurredOn:yyyy-MM-dd}, and {BeforeAnyReferral()}");
        }

        foreach (var p in plans.Where(p => EpisodeAt(episodes, p.StartedOn) is null))
        {
            Add(p.Start, PlanBeforeReferral, $"plan {p.PlanId} started on {p.StartedOn:yyyy-MM-dd}, and {BeforeAnyReferral()}");
        }

        foreach (var p in history.All<ChildInNeedPlanStarted>().Where(p => EpisodeAt(episodes, p.OccurredOn) is null))
        {
            Add(p, ChildInNeedPlanBeforeReferral, $"child-in-need plan {p.CinPlanId} started on {p.OccurredOn:yyyy-MM-dd}, and {BeforeAnyReferral()}");
        }

        // 2885: a plan starts on the day of an initial conference.
        var conferenceDays = history.All<InitialConferenceHeld>().Select(c => c.OccurredOn).ToHashSet();
        foreach (var p in plans.Where(p => !conferenceDays.Contains(p.StartedOn)))
        {
            Add(p.Start, PlanNotOnConferenceDate, $"plan {p.PlanId} started on {p.StartedOn:yyyy-MM-dd}, and no initial conference of the child is dated that day");
        }

        // An ending belongs to the episode of its start; when its start is before every referral (or unknown), to
        // the episode of its own date.
        DateOnly BelongsOn(CaseEvent ending, CaseEvent? start) =>
            start is not null && EpisodeAt(episodes, start.OccurredOn) is not null ? start.OccurredOn : ending.OccurredOn;

        // 8565 and 8831: activity in an episode that was closed before it, or whose referral was taken no further.
        var steps = new List<(CaseEvent Step, DateOnly BelongsOn, string What, bool Nfa)>();
        steps.AddRange(history.All<AssessmentStarted>().Select(a => ((CaseEvent)a, a.OccurredOn, $"assessment {a.AssessmentId} started", true)));
        steps.AddRange(history.All<AssessmentCompleted>().Select(a =>
            ((CaseEvent)a, BelongsOn(a, assessmentStarts.GetValueOrDefault(a.AssessmentId)), $"assessment {a.AssessmentId} was authorised", true)));
        steps.AddRange(history.All<S47EnquiryStarted>().Select(s => ((CaseEvent)s, s.OccurredOn, $"S47 enquiry {s.S47Id} started", true)));
        steps.AddRange(history.All<InitialConferenceHeld>().Select(c => ((CaseEvent)c, c.OccurredOn, $"conference {c.ConferenceId} was held", true)));
        steps.AddRange(history.All<PlanCeased>().Select(c =>
            ((CaseEvent)c, BelongsOn(c, plansById.GetValueOrDefault(c.PlanId)?.Start), $"plan {c.PlanId} ceased", false)));
        steps.AddRange(history.All<ChildInNeedPlanStarted>().Select(p => ((CaseEvent)p, p.OccurredOn, $"child-in-need plan {p.CinPlanId} started", false)));
        steps.AddRange(history.All<ChildInNeedPlanCeased>().Select(p =>
            ((CaseEvent)p, BelongsOn(p, cinPlanStarts.GetValueOrDefault(p.CinPlanId)), $"child-in-need plan {p.CinPlanId} ceased", false)));
        foreach (var (step, belongsOn, what, nfa) in steps.OrderBy(s => s.Step.OccurredOn))
        {
            if (EpisodeAt(episodes, belongsOn) is not { } episode)
            {
                continue;
            }

            if (episode.Closed is { } closed && step.OccurredOn > closed.OccurredOn)
            {
                Add(step, ActivityAfterClosure, $"{what} on {step.OccurredOn:yyyy-MM-dd}, after the episode of referral {episode.ReferralId} ({episode.StartedOn:yyyy-MM-dd}) was closed on {closed.OccurredOn:yyyy-MM-dd}");
            }

            if (nfa && episode.NoFurtherAction is not null)
            {
                Add(step, ActivityAfterNoFurtherAction, $"{what} on {step.OccurredOn:yyyy-MM-dd}, in the episode of referral {episode.ReferralId} ({episode.StartedOn:yyyy-MM-dd}), which was taken no further");
            }
        }

        // 8608: an assessment authorised before it started.
        foreach (var completed in history.All<AssessmentCompleted>())
        {
            if (assessmentStarts.GetValueOrDefault(completed.AssessmentId) is { } start && completed.OccurredOn < start.OccurredOn)
            {
                Add(completed, AssessmentEndsBeforeStart, $"assessment {completed.AssessmentId} was authorised on {completed.OccurredOn:yyyy-MM-dd}, before it started on {start.OccurredOn:yyyy-MM-dd}");
            }
        }

        // 8615: a conference names an S47 enquiry that has no start, or started after it.
        foreach (var c in history.All<InitialConferenceHeld>().Where(c => c.S47Id is not null))
        {
            if (s47Starts.GetValueOrDefault(c.S47Id!) is not { } s47)
            {
                Add(c, ConferenceBeforeS47, $"conference {c.ConferenceId} on {c.OccurredOn:yyyy-MM-dd} names S47 enquiry {c.S47Id}, whose start has not been received");
            }
            else if (s47.OccurredOn > c.OccurredOn)
            {
                Add(c, ConferenceBeforeS47, $"conference {c.ConferenceId} was held on {c.OccurredOn:yyyy-MM-dd}, before S47 enquiry {c.S47Id} started on {s47.OccurredOn:yyyy-MM-dd}");
            }
        }

        // 8630: a closure dated before its referral.
        foreach (var e in episodes.Where(e => e.Closed is { } c && c.OccurredOn < e.StartedOn))
        {
            Add(e.Closed!, ClosureBeforeReferral, $"the episode of referral {e.ReferralId} was closed on {e.Closed!.OccurredOn:yyyy-MM-dd}, before the referral on {e.StartedOn:yyyy-MM-dd}");
        }

        // 8816: an open episode that is not the child's latest.
        if (episodes.Count > 0)
        {
            var latest = episodes.Max(e => e.StartedOn);
            foreach (var e in episodes.Where(e => e.IsOpen && e.StartedOn != latest))
            {
                Add(e.Referral, OpenEpisodeNotLatest, $"the episode of referral {e.ReferralId} ({e.StartedOn:yyyy-MM-dd}) is open, but the child's latest referral is dated {latest:yyyy-MM-dd}");
            }
        }

        // 8820: a referral dated within another episode: from its referral to (not including) its closure, or
        // onwards while it is open. One episode may end on the day the next begins.
        foreach (var e in episodes)
        {
            var other = episodes.FirstOrDefault(o => !ReferenceEquals(o, e) && o.StartedOn <= e.StartedOn
                && (o.Closed is { } c ? e.StartedOn < c.OccurredOn : o.IsOpen));
            if (other is not null)
            {
                var until = other.Closed is { } c ? $"closed on {c.OccurredOn:yyyy-MM-dd}" : "still open";
                Add(e.Referral, OverlappingEpisodes, $"referral {e.ReferralId} on {e.StartedOn:yyyy-MM-dd} falls within the episode of referral {other.ReferralId} ({other.StartedOn:yyyy-MM-dd}, {until})");
            }
        }

        // 8840: a plan that starts and ends on the same day.
        foreach (var p in plans.Where(p => p.Ceased is { } c && c.OccurredOn == p.StartedOn))
        {
            Add(p.Ceased!, PlanStartsAndEndsSameDay, $"plan {p.PlanId} started and ceased on {p.StartedOn:yyyy-MM-dd}");
        }

        // 8841: a review on or before the plan's start.
        foreach (var review in history.All<PlanReviewed>())
        {
            if (plansById.GetValueOrDefault(review.PlanId) is { } plan && review.OccurredOn <= plan.StartedOn)
            {
                Add(review, ReviewNotAfterPlanStart, $"plan {plan.PlanId} was reviewed on {review.OccurredOn:yyyy-MM-dd}, and it started on {plan.StartedOn:yyyy-MM-dd}");
            }
        }

        // 8935: more than one plan with no end; the first stands, each later one is a finding.
        foreach (var p in plans.Where(p => p.Ceased is null).Skip(1))
        {
            var first = plans.First(o => o.Ceased is null);
            Add(p.Start, SeveralOpenPlans, $"plan {p.PlanId} (started {p.StartedOn:yyyy-MM-dd}) and plan {first.PlanId} (started {first.StartedOn:yyyy-MM-dd}) have no end");
        }

        // 8940: a plan that starts within another, from its start to its end inclusive, or onwards while it is open.
        foreach (var p in plans)
        {
            var other = plans.FirstOrDefault(o => o.PlanId != p.PlanId && o.ContainsStartOf(p));
            if (other is not null)
            {
                var until = other.Ceased is { } c ? $"ceased {c.OccurredOn:yyyy-MM-dd}" : "no end";
                Add(p.Start, OverlappingPlans, $"plan {p.PlanId} started on {p.StartedOn:yyyy-MM-dd}, within plan {other.PlanId} (started {other.StartedOn:yyyy-MM-dd}, {until})");
            }
        }

        return findings;
    }

    private static Dictionary<string, T> Earliest<T>(IEnumerable<T> events, Func<T, string> id) where T : CaseEvent =>
        events.GroupBy(id).ToDictionary(g => g.Key, g => g.MinBy(e => e.OccurredOn)!, StringComparer.Ordinal);
}
