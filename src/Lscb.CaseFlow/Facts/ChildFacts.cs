using Lscb.CaseFlow.Events;
using Lscb.CaseFlow.Journeys;

namespace Lscb.CaseFlow.Facts;

/// <summary>Derives the indexed facts of one child from the child's whole history.</summary>
public static class ChildFacts
{
    public static IReadOnlyList<Fact> Of(string childId, ChildHistory history) => [.. WithUnits(childId, history).Select(u => u.Fact)];

    /// <summary>Each fact with the unit it counts and that unit's values under the breakdowns' dimensions.</summary>
    public static IReadOnlyList<(Fact Fact, FactUnit Unit)> WithUnits(string childId, ChildHistory history)
    {
        var facts = new List<(Fact, FactUnit)>();
        FactUnit unit = FactUnit.None;
        void Add(FactKind kind, CaseEvent e, FactFlags flags = FactFlags.None, string? familyId = null) =>
            facts.Add((new Fact(childId, kind, e.OccurredOn, flags, FamilyId: familyId), unit with { Source = e.Source, Id = e.EventId }));
        var plans = Pathway.Plans(history).ToDictionary(p => p.PlanId);

        foreach (var e in history.Live)
        {
            unit = FactUnit.None;
            switch (e)
            {
                case ContactReceived contact:
                    unit = FactUnit.None with { ReferralSource = Dimensions.SourceOf(contact), MashDecision = Dimensions.DecisionOf(history, contact) };
                    Add(FactKind.Contact, e,
                        Flag(Pathway.ProceededToAssessmentOrS47(history, contact), FactFlags.ProceededToAssessmentOrS47)
                        | Decided(Pathway.FurthestDecision(history, contact)));
                    break;
                case ReferralAccepted referral:
                    unit = FactUnit.None with { ReferralSource = Dimensions.SourceOf(history, referral) };
                    Add(FactKind.Referral, e,
                        Flag(Pathway.IsReReferral(history, referral), FactFlags.ReReferral)
                        | Flag(Pathway.ConsentDeclinedBeforeReReferral(history, referral) is not null, FactFlags.ConsentDeclinedBefore)
                        | Flag(Pathway.ConsentDeclinedWithin12MonthsBefore(history, referral), FactFlags.ConsentDeclinedWithin12MonthsBefore),
                        string.IsNullOrEmpty(referral.FamilyId) ? null : referral.FamilyId);
                    break;
                case EarlyHelpReferred:
                    Add(FactKind.EarlyHelpReferral, e);
                    break;
                case ConsentDeclined:
                    Add(FactKind.ConsentDeclined, e);
                    break;
                case AssessmentStarted:
                    Add(FactKind.AssessmentStarted, e);
                    break;
                case StrategyDiscussionHeld:
                    Add(FactKind.StrategyDiscussion, e);
                    break;
                case S47EnquiryStarted s47:
                    Add(FactKind.S47Started, e, Flag(Pathway.LedToInitialConference(history, s47), FactFlags.LedToConference));
                    break;
                case InitialConferenceHeld conference:
                    var toConference = Timeliness.WorkingDaysOf(history, conference);
                    Add(FactKind.InitialConference, e,
                        Flag(toConference is not null, FactFlags.AfterItsEnquiry)
                        | Flag(toConference <= Timeliness.ConferenceWorkingDays, FactFlags.Within15WorkingDays));
                    break;
                case AssessmentCompleted completed when Timeliness.WorkingDaysOf(history, completed) is { } took:
                    unit = FactUnit.None with { Factors = Dimensions.FactorsOf(completed) };
                    Add(FactKind.AssessmentCompleted, e, Flag(took <= Timeliness.AssessmentWorkingDays, FactFlags.Within45WorkingDays));
                    break;
                case PlanStarted start:
                    unit = FactUnit.None with { Category = plans[start.PlanId].Start.Category };
                    Add(FactKind.PlanStarted, e,
                        Flag(Pathway.IsRepeatPlan(history, start), FactFlags.RepeatPlan)
                        | Flag(Pathway.EarlierPlanCeasedWithin2Years(history, start) is not null, FactFlags.RepeatPlanWithin2Years));
                    break;
                case PlanCeased cease:
                    var plan = Pathway.PlanOf(history, cease);
                    unit = FactUnit.None with { Category = plan?.Start.Category };
                    Add(FactKind.PlanCeased, e,
                        Flag(plan is not null, FactFlags.PlanKnown)
                        | Flag(plan is not null && Pathway.Lasted2YearsOrMore(plan, cease), FactFlags.Lasted2Years));
                    break;
            }
        }

        facts.AddRange(plans.Values.OrderBy(p => p.StartedOn).ThenBy(p => p.PlanId, StringComparer.Ordinal).Select(p => (
            new Fact(childId, FactKind.Plan, p.StartedOn, Until: p.Ceased?.OccurredOn, Milestone: p.Reaches18MonthsOn),
            Of(p.Start) with { Key = p.PlanId, Category = p.Start.Category })));
        facts.AddRange(ReviewFacts(childId, history));
        facts.AddRange(Pathway.CareEpisodes(history).Select(c => (
            new Fact(childId, FactKind.CareEpisode, c.Start.OccurredOn, Flag(c.IsShortBreak, FactFlags.ShortBreak), c.Ended?.OccurredOn),
            Of(c.Start) with { Key = c.EpisodeId, LegalStatus = c.Start.LegalStatus ?? Dimensions.Unknown })));
        return facts;
    }

    /// <summary>
    /// The dates on which the child's plan (the latest started of its open plans) has had 3 months for its first review,
    /// and within them those on which its reviews are on time: spans a point-in-time count reads at the window's end.
    /// </summary>
    private static IEnumerable<(Fact, FactUnit)> ReviewFacts(string childId, ChildHistory history)
    {
        foreach (var (plan, from, until) in Timeliness.CurrentPlanSpans(Pathway.Plans(history)))
        {
            var due = Later(from, plan.StartedOn.AddMonths(Timeliness.FirstReviewMonths));
            if (until is { } u && due >= u)
            {
                continue;
            }

            var unit = Of(plan.Start) with { Key = plan.PlanId, Category = plan.Start.Category };
            yield return (new Fact(childId, FactKind.PlanReviewsDue, due, Until: until), unit);
            var onTimeUntil = Timeliness.OnTimeUntil(history, plan).AddDays(1);
            var end = until is { } e && e < onTimeUntil ? e : onTimeUntil;
            if (due < end)
            {
                yield return (new Fact(childId, FactKind.PlanReviewedOnTime, due, Until: end), unit);
            }
        }
    }

    private static DateOnly Later(DateOnly a, DateOnly b) => a > b ? a : b;

    private static FactUnit Of(CaseEvent e) => FactUnit.None with { Source = e.Source, Id = e.EventId };

    private static FactFlags Flag(bool condition, FactFlags flag) => condition ? flag : FactFlags.None;

    private static FactFlags Decided(string? decision) => decision switch
    {
        "no-further-action" => FactFlags.DecidedNoFurtherAction,
        "information-advice" => FactFlags.DecidedInformationAdvice,
        "early-help" => FactFlags.DecidedEarlyHelp,
        "assessment" => FactFlags.DecidedAssessment,
        "section-47" => FactFlags.DecidedSection47,
        _ => FactFlags.None,
    };
}
