using static Lscb.CaseFlow.Kpis.KpiDefinitions;

namespace Lscb.CaseFlow.Kpis;

/// <summary>A stage of the pathway as the board reads it: a heading, the question it answers and its measures.</summary>
public sealed record KpiGroup(string Id, string Heading, string Question, IReadOnlyList<Kpi> Kpis);

/// <summary>
/// The one grouping of the KPIs by stage, used by the board report, the comparison and the dashboard (through the
/// catalogue), so that a measure sits under the same heading everywhere.
/// </summary>
public static class KpiGroups
{
    public static readonly KpiGroup FrontDoor = new("front", "The front door", "How many children are referred, and how many come back?",
        [Contacts, Referrals, ChildrenReferred, ReferralFamilies, ReferralRatePer10k, ReReferralRate, ContactsToAssessmentOrS47Rate]);

    public static readonly KpiGroup AssessmentTimeliness = new("assessmentTime", "Assessments on time",
        "Are children assessed within the 45 working days Working Together allows?",
        [AssessmentsCompleted, AssessmentsWithin45WorkingDaysRate]);

    public static readonly KpiGroup EarlyHelp = new("early", "Early help", "Do children below the threshold get help, or does consent stand in the way?",
        [EarlyHelpReferrals, ConsentDeclined, ReReferralsAfterConsentDeclinedRate]);

    public static readonly KpiGroup Enquiries = new("enquiry", "Assessment and section 47", "Are S47 enquiries used for filtering?",
        [AssessmentsStarted, StrategyDiscussions, S47, S47RatePer10k, S47ToIcpcRate, Icpc, IcpcRatePer10k]);

    public static readonly KpiGroup ConferenceTimeliness = new("conferenceTime", "Conferences on time",
        "Are initial conferences held within 15 working days of the enquiry starting?",
        [IcpcWithin15WorkingDaysRate]);

    public static readonly KpiGroup Plans = new("plans", "Child protection plans", "Do plans end at the right time, hold, and get reviewed on time?",
        [ChildrenOnPlan, ChildrenOnPlanRatePer10k, PlansOver18MonthsRate, PlansReviewedOnTimeRate, PlansStarted, RepeatPlansRate,
         RepeatPlansWithin2YearsRate, PlansCeased, PlansCeasedLasting2YearsRate]);

    public static readonly KpiGroup Care = new("care", "Children looked after", "How many children are in care at the end of the window?",
        [ChildrenLookedAfter, ChildrenLookedAfterRatePer10k]);

    /// <summary>The stages in pathway order.</summary>
    public static readonly IReadOnlyList<KpiGroup> All = [FrontDoor, AssessmentTimeliness, EarlyHelp, Enquiries, ConferenceTimeliness, Plans, Care];

    /// <summary>KPIs no stage claims (none today; a new measure shows up here until it is placed).</summary>
    public static IReadOnlyList<Kpi> Ungrouped { get; } =
        KpiDefinitions.All.Where(k => !All.Any(g => g.Kpis.Contains(k))).ToList();

    /// <summary>The stage a KPI sits under, or null when none claims it.</summary>
    public static KpiGroup? Of(Kpi kpi) => All.FirstOrDefault(g => g.Kpis.Contains(kpi));

    /// <summary>How a KPI's value reads: a count, a percentage or a rate per 10,000.</summary>
    public static string KindOf(Kpi kpi) => kpi switch
    {
        Kpi.Count => "count",
        Kpi.Percentage => "percentage",
        Kpi.RatePer10k => "rate",
        _ => throw new ArgumentOutOfRangeException(nameof(kpi), "Unknown kind of KPI."),
    };
}
