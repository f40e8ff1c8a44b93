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
/// history: a table of rules, each named by its number (<c>dfe-8820</c>), worded as the DfE words it, and checked by
/// one small pure function of the child's record. Events carry no episode, so a step belongs to the child's latest referral dated on or before
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

    /// <summary>What a rule finds: the event it is about and what is wrong, in the child's own dates and ids.</summary>
    public readonly record struct Breach(CaseEvent Event, string Detail);

    /// <summary>One rule: its number, the DfE's words and its check.</summary>
    public sealed record Rule(string Code, string Message, Func<CensusRecord, IEnumerable<Breach>> Check);

    /// <summary>Every rule, in the DfE's numbering order.</summary>
    public static readonly IReadOnlyList<Rule> All =
    [
        new(AssessmentBeforeReferral, "The assessment start date cannot be before the referral date", AssessmentsBeforeAnyReferral),
        new(ConferenceBeforeReferral, "The date of the initial child protection conference cannot be before the referral date", ConferencesBeforeAnyReferral),
        new(PlanBeforeReferral, "The child protection plan start date cannot be before the referral date", PlansBeforeAnyReferral),
        new(PlanNotOnConferenceDate, "Child protection plan shown as starting a different day to the initial child protection conference", PlansNotOnAConferenceDay),
        new(ChildInNeedPlanBeforeReferral, "The CIN Plan start date cannot be before the referral date", ChildInNeedPlansBeforeAnyReferral),
        new(ActivityAfterClosure, "Activity shown after a case has been closed", StepsAfterTheirEpisodeClosed),
        new(AssessmentEndsBeforeStart, "Assessment Start Date cannot be later than its End Date", AssessmentsAuthorisedBeforeTheyStarted),
        new(ConferenceBeforeS47, "Section 47 Enquiry Start Date must be present and cannot be later than the date of the initial Child Protection Conference", ConferencesBeforeTheirS47),
        new(ClosureBeforeReferral, "CIN Closure Date is before CIN Referral Date for the same CIN episode", ClosuresBeforeTheirReferral),
        new(OpenEpisodeNotLatest, "An open CIN episode is shown and case is not a referral with no further action, but it is not the latest episode", OpenEpisodesNotTheLatest),
        new(OverlappingEpisodes, "The dates on the CIN episodes for this child overlap", ReferralsWithinAnotherEpisode),
        new(ActivityAfterNoFurtherAction, "Activity is recorded against a case marked as a referral with no further action", StepsInAnEpisodeTakenNoFurther),
        new(PlanStartsAndEndsSameDay, "Child Protection Plan cannot start and end on the same day", PlansStartedAndCeasedTheSameDay),
        new(ReviewNotAfterPlanStart, "The review date cannot be on the same day or before the Child protection Plan start date", ReviewsOnOrBeforeThePlanStarted),
        new(SeveralOpenPlans, "This child is showing more than one open Child Protection plan, i.e. with no End Date", OpenPlansAfterTheFirst),
        new(OverlappingPlans, "Child Protection Plan data contains overlapping dates", PlansStartedWithinAnother),
    ];

    /// <summary>Each rule's message as the DfE's validation rules word it.</summary>
    public static readonly IReadOnlyDictionary<string, string> DfeMessages = All.ToDictionary(r => r.Code, r => r.Message, StringComparer.Ordinal);

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

    /// <summary>Every rule's findings for one child, each event named once per rule.</summary>
    public static IReadOnlyList<Finding> Of(ChildHistory history)
    {
        var record = new CensusRecord(history);
        var findings = new List<Finding>();
        var seen = new HashSet<(string, string, string)>();
        foreach (var rule in All)
        {
            foreach (var (e, detail) in rule.Check(record))
            {
                if (seen.Add((e.Source, e.EventId, rule.Code)))
                {
                    findings.Add(new(e.Source, e.EventId, rule.Code, $"{rule.Message} (DfE {rule.Code[4..]}): {detail}."));
                }
            }
        }

        return findings;
    }

    // 1103, 1104, 1105, 4015: a step dated before its referral, that is, before any referral of the child.
    private static IEnumerable<Breach> AssessmentsBeforeAnyReferral(CensusRecord r) =>
        r.History.All<AssessmentStarted>().Where(a => r.EpisodeAt(a.OccurredOn) is null)
            .Select(a => new Breach(a, $"assessment {a.AssessmentId} started on {a.OccurredOn:yyyy-MM-dd}, and {r.BeforeAnyReferral()}"));

    private static IEnumerable<Breach> ConferencesBeforeAnyReferral(CensusRecord r) =>
        r.History.All<InitialConferenceHeld>().Where(c => r.EpisodeAt(c.OccurredOn) is null)
            .Select(c => new Breach(c, $"conference {c.ConferenceId} was held on {c.OccurredOn:yyyy-MM-dd}, and {r.BeforeAnyReferral()}"));

    private static IEnumerable<Breach> PlansBeforeAnyReferral(CensusRecord r) =>
        r.Plans.Where(p => r.EpisodeAt(p.StartedOn) is null)
            .Select(p => new Breach(p.Start, $"plan {p.PlanId} started on {p.StartedOn:yyyy-MM-dd}, and {r.BeforeAnyReferral()}"));

    private static IEnumerable<Breach> ChildInNeedPlansBeforeAnyReferral(CensusRecord r) =>
        r.History.All<ChildInNeedPlanStarted>().Where(p => r.EpisodeAt(p.OccurredOn) is null)
            .Select(p => new Breach(p, $"child-in-need plan {p.CinPlanId} started on {p.OccurredOn:yyyy-MM-dd}, and {r.BeforeAnyReferral()}"));

    // 2885: a plan starts on the day of an initial conference.
    private static IEnumerable<Breach> PlansNotOnAConferenceDay(CensusRecord r)
    {
        var conferenceDays = r.History.All<InitialConferenceHeld>().Select(c => c.OccurredOn).ToHashSet();
        return r.Plans.Where(p => !conferenceDays.Contains(p.StartedOn))
            .Select(p => new Breach(p.Start, $"plan {p.PlanId} started on {p.StartedOn:yyyy-MM-dd}, and no initial conference of the child is dated that day"));
    }

    // 8565: activity in an episode that was closed before it.
    private static IEnumerable<Breach> StepsAfterTheirEpisodeClosed(CensusRecord r) =>
        from s in r.Steps
        where r.EpisodeAt(s.BelongsOn) is { Closed: not null } episode && s.Step.OccurredOn > episode.Closed.OccurredOn
        let episode = r.EpisodeAt(s.BelongsOn)!
        select new Breach(s.Step, $"{s.What} on {s.Step.OccurredOn:yyyy-MM-dd}, after the episode of referral {episode.ReferralId} ({episode.StartedOn:yyyy-MM-dd}) was closed on {episode.Closed!.OccurredOn:yyyy-MM-dd}");

    // 8831: work (not an ending) in an episode whose referral was taken no further.
    private static IEnumerable<Breach> StepsInAnEpisodeTakenNoFurther(CensusRecord r) =>
        from s in r.Steps
        where s.CountsAsWork && r.EpisodeAt(s.BelongsOn) is { NoFurtherAction: not null }
        let episode = r.EpisodeAt(s.BelongsOn)!
        select new Breach(s.Step, $"{s.What} on {s.Step.OccurredOn:yyyy-MM-dd}, in the episode of referral {episode.ReferralId} ({episode.StartedOn:yyyy-MM-dd}), which was taken no further");

    // 8608: an assessment authorised before it started.
    private static IEnumerable<Breach> AssessmentsAuthorisedBeforeTheyStarted(CensusRecord r) =>
        from completed in r.History.All<AssessmentCompleted>()
        where r.AssessmentStarts.GetValueOrDefault(completed.AssessmentId) is { } start && completed.OccurredOn < start.OccurredOn
        let start = r.AssessmentStarts[completed.AssessmentId]
        select new Breach(completed, $"assessment {completed.AssessmentId} was authorised on {completed.OccurredOn:yyyy-MM-dd}, before it started on {start.OccurredOn:yyyy-MM-dd}");

    // 8615: a conference names an S47 enquiry that has no start, or started after it.
    private static IEnumerable<Breach> ConferencesBeforeTheirS47(CensusRecord r)
    {
        foreach (var c in r.History.All<InitialConferenceHeld>().Where(c => c.S47Id is not null))
        {
            if (r.S47Starts.GetValueOrDefault(c.S47Id!) is not { } s47)
            {
                yield return new(c, $"conference {c.ConferenceId} on {c.OccurredOn:yyyy-MM-dd} names S47 enquiry {c.S47Id}, whose start has not been received");
            }
            else if (s47.OccurredOn > c.OccurredOn)
            {
                yield return new(c, $"conference {c.ConferenceId} was held on {c.OccurredOn:yyyy-MM-dd}, before S47 enquiry {c.S47Id} started on {s47.OccurredOn:yyyy-MM-dd}");
            }
        }
    }

    // 8630: a closure dated before its referral.
    private static IEnumerable<Breach> ClosuresBeforeTheirReferral(CensusRecord r) =>
        r.Episodes.Where(e => e.Closed is { } c && c.OccurredOn < e.StartedOn)
            .Select(e => new Breach(e.Closed!, $"the episode of referral {e.ReferralId} was closed on {e.Closed!.OccurredOn:yyyy-MM-dd}, before the referral on {e.StartedOn:yyyy-MM-dd}"));

    // 8816: an open episode that is not the child's latest.
    private static IEnumerable<Breach> OpenEpisodesNotTheLatest(CensusRecord r)
    {
        if (r.Episodes.Count == 0)
        {
            return [];
        }

        var latest = r.Episodes.Max(e => e.StartedOn);
        return r.Episodes.Where(e => e.IsOpen && e.StartedOn != latest)
            .Select(e => new Breach(e.Referral, $"the episode of referral {e.ReferralId} ({e.StartedOn:yyyy-MM-dd}) is open, but the child's latest referral is dated {latest:yyyy-MM-dd}"));
    }

    // 8820: a referral dated within another episode: from its referral to (not including) its closure, or onwards
    // while it is open. One episode may end on the day the next begins.
    private static IEnumerable<Breach> ReferralsWithinAnotherEpisode(CensusRecord r)
    {
        foreach (var e in r.Episodes)
        {
            var other = r.Episodes.FirstOrDefault(o => !ReferenceEquals(o, e) && o.StartedOn <= e.StartedOn
                && (o.Closed is { } c ? e.StartedOn < c.OccurredOn : o.IsOpen));
            if (other is not null)
            {
                var until = other.Closed is { } c ? $"closed on {c.OccurredOn:yyyy-MM-dd}" : "still open";
                yield return new(e.Referral, $"referral {e.ReferralId} on {e.StartedOn:yyyy-MM-dd} falls within the episode of referral {other.ReferralId} ({other.StartedOn:yyyy-MM-dd}, {until})");
            }
        }
    }

    // 8840: a plan that starts and ends on the same day.
    private static IEnumerable<Breach> PlansStartedAndCeasedTheSameDay(CensusRecord r) =>
        r.Plans.Where(p => p.Ceased is { } c && c.OccurredOn == p.StartedOn)
            .Select(p => new Breach(p.Ceased!, $"plan {p.PlanId} started and ceased on {p.StartedOn:yyyy-MM-dd}"));

    // 8841: a review on or before the plan's start.
    private static IEnumerable<Breach> ReviewsOnOrBeforeThePlanStarted(CensusRecord r) =>
        from review in r.History.All<PlanReviewed>()
        where r.PlansById.GetValueOrDefault(review.PlanId) is { } plan && review.OccurredOn <= plan.StartedOn
        let plan = r.PlansById[review.PlanId]
        select new Breach(review, $"plan {plan.PlanId} was reviewed on {review.OccurredOn:yyyy-MM-dd}, and it started on {plan.StartedOn:yyyy-MM-dd}");

    // 8935: more than one plan with no end; the first stands, each later one is a finding.
    private static IEnumerable<Breach> OpenPlansAfterTheFirst(CensusRecord r)
    {
        var open = r.Plans.Where(p => p.Ceased is null).ToList();
        return open.Skip(1).Select(p => new Breach(p.Start,
            $"plan {p.PlanId} (started {p.StartedOn:yyyy-MM-dd}) and plan {open[0].PlanId} (started {open[0].StartedOn:yyyy-MM-dd}) have no end"));
    }

    // 8940: a plan that starts within another, from its start to its end inclusive, or onwards while it is open.
    private static IEnumerable<Breach> PlansStartedWithinAnother(CensusRecord r) =>
        from p in r.Plans
        let other = r.Plans.FirstOrDefault(o => o.PlanId != p.PlanId && o.ContainsStartOf(p))
        where other is not null
        let until = other.Ceased is { } c ? $"ceased {c.OccurredOn:yyyy-MM-dd}" : "no end"
        select new Breach(p.Start, $"plan {p.PlanId} started on {p.StartedOn:yyyy-MM-dd}, within plan {other.PlanId} (started {other.StartedOn:yyyy-MM-dd}, {until})");
}

/// <summary>
/// A child's history as the census rules read it, derived once: the episodes, plans and the starts that endings and
/// conferences name, and the steps that belong to an episode.
/// </summary>
public sealed class CensusRecord
{
    public CensusRecord(ChildHistory history)
    {
        History = history;
        Episodes = CensusRules.Episodes(history);
        Plans = Pathway.Plans(history);
        PlansById = Plans.ToDictionary(p => p.PlanId);
        AssessmentStarts = Earliest(history.All<AssessmentStarted>(), a => a.AssessmentId);
        S47Starts = Earliest(history.All<S47EnquiryStarted>(), s => s.S47Id);
        var cinPlanStarts = Earliest(history.All<ChildInNeedPlanStarted>(), p => p.CinPlanId);

        // An ending belongs to the episode of its start; when its start is before every referral (or unknown), to
        // the episode of its own date. Work is what a referral taken no further should not have had (8831).
        DateOnly BelongsOn(CaseEvent ending, CaseEvent? start) =>
            start is not null && EpisodeAt(start.OccurredOn) is not null ? start.OccurredOn : ending.OccurredOn;
        List<EpisodeStep> steps =
        [
            .. history.All<AssessmentStarted>().Select(a => new EpisodeStep(a, a.OccurredOn, $"assessment {a.AssessmentId} started", true)),
            .. history.All<AssessmentCompleted>().Select(a =>
                new EpisodeStep(a, BelongsOn(a, AssessmentStarts.GetValueOrDefault(a.AssessmentId)), $"assessment {a.AssessmentId} was authorised", true)),
            .. history.All<S47EnquiryStarted>().Select(s => new EpisodeStep(s, s.OccurredOn, $"S47 enquiry {s.S47Id} started", true)),
            .. history.All<InitialConferenceHeld>().Select(c => new EpisodeStep(c, c.OccurredOn, $"conference {c.ConferenceId} was held", true)),
            .. history.All<PlanCeased>().Select(c =>
                new EpisodeStep(c, BelongsOn(c, PlansById.GetValueOrDefault(c.PlanId)?.Start), $"plan {c.PlanId} ceased", false)),
            .. history.All<ChildInNeedPlanStarted>().Select(p => new EpisodeStep(p, p.OccurredOn, $"child-in-need plan {p.CinPlanId} started", false)),
            .. history.All<ChildInNeedPlanCeased>().Select(p =>
                new EpisodeStep(p, BelongsOn(p, cinPlanStarts.GetValueOrDefault(p.CinPlanId)), $"child-in-need plan {p.CinPlanId} ceased", false)),
        ];
        Steps = steps.OrderBy(s => s.Step.OccurredOn).ToList();
    }

    public ChildHistory History { get; }

    public IReadOnlyList<ReferralEpisode> Episodes { get; }

    public IReadOnlyList<Plan> Plans { get; }

    public IReadOnlyDictionary<string, Plan> PlansById { get; }

    public IReadOnlyDictionary<string, AssessmentStarted> AssessmentStarts { get; }

    public IReadOnlyDictionary<string, S47EnquiryStarted> S47Starts { get; }

    /// <summary>Steps that belong to an episode, in date order, with the date that decides which.</summary>
    public IReadOnlyList<EpisodeStep> Steps { get; }

    public ReferralEpisode? EpisodeAt(DateOnly date) => CensusRules.EpisodeAt(Episodes, date);

    public string BeforeAnyReferral() => Episodes.Count == 0
        ? "no referral of the child has been received"
        : $"the child's first referral is dated {Episodes[0].StartedOn:yyyy-MM-dd}";

    private static Dictionary<string, T> Earliest<T>(IEnumerable<T> events, Func<T, string> id) where T : CaseEvent =>
        events.GroupBy(id).ToDictionary(g => g.Key, g => g.MinBy(e => e.OccurredOn)!, StringComparer.Ordinal);
}

/// <summary>A step in an episode: the event, the date that places it, how it reads, and whether it is work (8831).</summary>
public sealed record EpisodeStep(CaseEvent Step, DateOnly BelongsOn, string What, bool CountsAsWork);
