using Lscb.CaseFlow.Events;

namespace Lscb.CaseFlow.Journeys;

/// <summary>A child protection plan: its first start and its first cease, matched by plan id.</summary>
public sealed record Plan(string PlanId, PlanStarted Start, PlanCeased? Ceased)
{
    public DateOnly StartedOn => Start.OccurredOn;

    /// <summary>The date the plan has lasted 18 months (calendar months, clamped to the month's end).</summary>
    public DateOnly Reaches18MonthsOn => StartedOn.AddMonths(18);

    public bool IsOpenAt(DateOnly date) => StartedOn <= date && (Ceased is null || Ceased.OccurredOn > date);

    /// <summary>
    /// Whether the other plan starts within this one, from its start to its end inclusive (a plan started on the day
    /// the previous one ceased overlaps it, as the DfE reads rule 8940).
    /// </summary>
    public bool ContainsStartOf(Plan other) =>
        StartedOn <= other.StartedOn && (Ceased is null || other.StartedOn <= Ceased.OccurredOn);
}

/// <summary>A period of care, matched by episode id.</summary>
public sealed record CareEpisode(string EpisodeId, BecameLookedAfter Start, CeasedToBeLookedAfter? Ended)
{
    /// <summary>Short-break placements (V3, V4) are left out of the looked-after counts, as the DfE does.</summary>
    public bool IsShortBreak => Start.LegalStatus is { } status && CodeLists.ShortBreakLegalStatuses.Contains(status);

    public bool IsOpenAt(DateOnly date) => Start.OccurredOn <= date && (Ended is null || Ended.OccurredOn > date);
}

/// <summary>
/// The per-child rules of the pathway: pure functions of one child's history, each answering one
/// question the KPIs and the journey ask. Dates use calendar arithmetic clamped to the month's end.
/// </summary>
public static class Pathway
{
    /// <summary>The child's latest referral dated strictly before <paramref name="referral"/>.</summary>
    public static ReferralAccepted? PreviousReferral(ChildHistory history, ReferralAccepted referral) =>
        history.All<ReferralAccepted>()
            .Where(r => r.OccurredOn < referral.OccurredOn)
            .MaxBy(r => r.OccurredOn);

    /// <summary>A re-referral: the child has another referral dated in [d − 12 months, d).</summary>
    public static bool IsReReferral(ChildHistory history, ReferralAccepted referral) =>
        PreviousReferral(history, referral) is { } previous
        && previous.OccurredOn >= referral.OccurredOn.AddMonths(-12);

    /// <summary>
    /// A re-referral whose child declined consent between the previous referral (p) and this one (d):
    /// a <c>consent-declined</c> dated in [p, d).
    /// </summary>
    public static ConsentDeclined? ConsentDeclinedBeforeReReferral(ChildHistory history, ReferralAccepted referral)
    {
        if (!IsReReferral(history, referral))
        {
            return null;
        }

        var previous = PreviousReferral(history, referral)!.OccurredOn;
        return history.All<ConsentDeclined>()
            .Where(c => c.OccurredOn >= previous && c.OccurredOn < referral.OccurredOn)
            .MinBy(c => c.OccurredOn);
    }

    /// <summary>The furthest-reaching MASH decision on a contact, whatever its date; null while none is known.</summary>
    public static string? FurthestDecision(ChildHistory history, ContactReceived contact) =>
        history.All<MashDecisionMade>()
            .Where(d => d.ContactId == contact.ContactId)
            .Select(d => d.Decision)
            .MaxBy(CodeLists.MashDecisions.IndexOf);

    /// <summary>A referral of a child who declined consent in the 12 months before it: in [d − 12 months, d).</summary>
    public static bool ConsentDeclinedWithin12MonthsBefore(ChildHistory history, ReferralAccepted referral) =>
        history.All<ConsentDeclined>().Any(c =>
            c.OccurredOn >= referral.OccurredOn.AddMonths(-12) && c.OccurredOn < referral.OccurredOn);

    /// <summary>A contact proceeded when any MASH decision on it, whatever its date, was assessment or S47.</summary>
    public static bool ProceededToAssessmentOrS47(ChildHistory history, ContactReceived contact) =>
        history.All<MashDecisionMade>().Any(d =>
            d.ContactId == contact.ContactId && d.Decision is "assessment" or "section-47");

    /// <summary>An S47 enquiry led to a conference when an ICPC of the child names it, whatever its date.</summary>
    public static bool LedToInitialConference(ChildHistory history, S47EnquiryStarted s47) =>
        history.All<InitialConferenceHeld>().Any(c => c.S47Id == s47.S47Id);

    /// <summary>The child's plans, one per plan id that has a start.</summary>
    public static IReadOnlyList<Plan> Plans(ChildHistory history)
    {
        var ceases = history.All<PlanCeased>().GroupBy(c => c.PlanId)
            .ToDictionary(g => g.Key, g => g.MinBy(c => c.OccurredOn)!);
        return history.All<PlanStarted>().GroupBy(s => s.PlanId)
            .Select(g => new Plan(g.Key, g.MinBy(s => s.OccurredOn)!, ceases.GetValueOrDefault(g.Key)))
            .OrderBy(p => p.StartedOn).ThenBy(p => p.PlanId, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>A second or subsequent plan: another plan of the child started before this one.</summary>
    public static bool IsRepeatPlan(ChildHistory history, PlanStarted start) =>
        Plans(history).Any(p => p.PlanId != start.PlanId && p.StartedOn < start.OccurredOn);

    /// <summary>
    /// A repeat within 2 years: an earlier plan of the child ceased on a date in [s − 2 years, s].
    /// </summary>
    public static Plan? EarlierPlanCeasedWithin2Years(ChildHistory history, PlanStarted start) =>
        Plans(history)
            .Where(p => p.PlanId != start.PlanId && p.StartedOn < start.OccurredOn && p.Ceased is not null)
            .Where(p => p.Ceased!.OccurredOn >= start.OccurredOn.AddYears(-2) && p.Ceased.OccurredOn <= start.OccurredOn)
            .MaxBy(p => p.Ceased!.OccurredOn);

    /// <summary>The plan a cease belongs to, or null when no start for it has arrived.</summary>
    public static Plan? PlanOf(ChildHistory history, PlanCeased cease) =>
        Plans(history).FirstOrDefault(p => p.PlanId == cease.PlanId);

    /// <summary>A plan that ceased on c, having started on s, lasted 2 years or more when s + 2 years ≤ c.</summary>
    public static bool Lasted2YearsOrMore(Plan plan, PlanCeased cease) =>
        plan.StartedOn.AddYears(2) <= cease.OccurredOn;

    /// <summary>The child's periods of care, one per episode id that has a start.</summary>
    public static IReadOnlyList<CareEpisode> CareEpisodes(ChildHistory history)
    {
        var ends = history.All<CeasedToBeLookedAfter>().GroupBy(c => c.EpisodeId)
            .ToDictionary(g => g.Key, g => g.MinBy(c => c.OccurredOn)!);
        return history.All<BecameLookedAfter>().GroupBy(s => s.EpisodeId)
            .Select(g => new CareEpisode(g.Key, g.MinBy(s => s.OccurredOn)!, ends.GetValueOrDefault(g.Key)))
            .OrderBy(e => e.Start.OccurredOn).ThenBy(e => e.EpisodeId, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// The child's plan at a date, as kpis.md reads "the child's plan": the latest started of its open plans, on one
    /// start date the greatest plan id in ordinal order; null when none is open.
    /// </summary>
    public static Plan? CurrentPlanAt(IEnumerable<Plan> plans, DateOnly date) =>
        plans.Where(p => p.IsOpenAt(date))
            .OrderBy(p => p.StartedOn).ThenBy(p => p.PlanId, StringComparer.Ordinal)
            .LastOrDefault();

    public static bool IsOnPlanAt(ChildHistory history, DateOnly date) => Plans(history).Any(p => p.IsOpenAt(date));

    public static bool IsLookedAfterAt(ChildHistory history, DateOnly date) =>
        CareEpisodes(history).Any(e => !e.IsShortBreak && e.IsOpenAt(date));
}
