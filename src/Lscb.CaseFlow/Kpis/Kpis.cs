using Lscb.CaseFlow.Facts;
using static Lscb.CaseFlow.Kpis.Measure;

namespace Lscb.CaseFlow.Kpis;

/// <summary>
/// The measures of <c>kpis.md</c>, in its order, each in one place. W is the window, D its last day.
/// The per-child judgements they count (re-referral, repeat plan, …) are made in <see cref="Journeys.Pathway"/>.
/// </summary>
public static class KpiDefinitions
{
    private static readonly EventsIn ContactsInW = new(FactKind.Contact);
    private static readonly EventsIn ReferralsInW = new(FactKind.Referral);
    private static readonly EventsIn ReReferralsInW = new(FactKind.Referral, FactFlags.ReReferral);
    private static readonly EventsIn S47sInW = new(FactKind.S47Started);
    private static readonly EventsIn IcpcsInW = new(FactKind.InitialConference);
    private static readonly ChildrenOpenAtEnd ChildrenOnPlanAtD = new(FactKind.Plan);
    private static readonly EventsIn PlansStartedInW = new(FactKind.PlanStarted);
    private static readonly EventsIn PlansCeasedInW = new(FactKind.PlanCeased, FactFlags.PlanKnown);
    private static readonly ChildrenOpenAtEnd ChildrenLookedAfterAtD = new(FactKind.CareEpisode, Excluding: FactFlags.ShortBreak);

    public static readonly Kpi Contacts = new Kpi.Count("contacts", "Contacts",
        "contact events in W", ContactsInW);

    public static readonly Kpi Referrals = new Kpi.Count("referrals", "Referrals",
        "referral events in W; a child referred twice counts twice", ReferralsInW);

    public static readonly Kpi ChildrenReferred = new Kpi.Count("childrenReferred", "Children referred",
        "distinct children with a referral in W", new ChildrenIn(FactKind.Referral));

    public static readonly Kpi ReferralFamilies = new Kpi.Count("referralFamilies", "Families referred",
        "distinct non-empty familyId among the referrals in W", new FamiliesIn(FactKind.Referral));

    public static readonly Kpi ReferralRatePer10k = new Kpi.RatePer10k("referralRatePer10k", "Referral rate per 10,000 children",
        "referrals per 10,000 children (not annualised)", ReferralsInW);

    public static readonly Kpi ReReferralRate = new Kpi.Percentage("reReferralRate", "Re-referrals within 12 months",
        "referrals in W whose child has another referral in the 12 months before, over referrals", ReReferralsInW, ReferralsInW);

    public static readonly Kpi ContactsToAssessmentOrS47Rate = new Kpi.Percentage("contactsToAssessmentOrS47Rate", "Contacts proceeding to assessment or S47",
        "contacts in W with a MASH decision of assessment or section 47 (whatever its date), over contacts",
        new EventsIn(FactKind.Contact, FactFlags.ProceededToAssessmentOrS47), ContactsInW);

    public static readonly Kpi EarlyHelpReferrals = new Kpi.Count("earlyHelpReferrals", "Early help (Engage) referrals",
        "engage-referral events in W", new EventsIn(FactKind.EarlyHelpReferral));

    public static readonly Kpi ConsentDeclined = new Kpi.Count("consentDeclined", "Consent declined",
        "consent-declined events in W", new EventsIn(FactKind.ConsentDeclined));

    public static readonly Kpi AssessmentsStarted = new Kpi.Count("assessmentsStarted", "Assessments started",
        "assessment-started events in W", new EventsIn(FactKind.AssessmentStarted));

    public static readonly Kpi StrategyDiscussions = new Kpi.Count("strategyDiscussions", "Strategy discussions",
        "strategy-discussion events in W", new EventsIn(FactKind.StrategyDiscussion));

    public static readonly Kpi S47 = new Kpi.Count("s47", "Section 47 enquiries",
        "s47-started events in W", S47sInW);

    public static readonly Kpi S47RatePer10k = new Kpi.RatePer10k("s47RatePer10k", "S47 rate per 10,000 children",
        "s47 per 10,000 children", S47sInW);

    public static readonly Kpi S47ToIcpcRate = new Kpi.Percentage("s47ToIcpcRate", "S47 enquiries leading to an ICPC",
        "S47 enquiries started in W named by an icpc of the same child (whatever its date), over s47",
        new EventsIn(FactKind.S47Started, FactFlags.LedToConference), S47sInW);

    public static readonly Kpi Icpc = new Kpi.Count("icpc", "Initial child protection conferences",
        "icpc events in W", IcpcsInW);

    public static readonly Kpi IcpcRatePer10k = new Kpi.RatePer10k("icpcRatePer10k", "ICPC rate per 10,000 children",
        "icpc per 10,000 children", IcpcsInW);

    public static readonly Kpi ChildrenOnPlan = new Kpi.Count("childrenOnPlan", "Children on a child protection plan",
        "distinct children who at D have a plan started on or before D and not ceased on or before D", ChildrenOnPlanAtD);

    public static readonly Kpi ChildrenOnPlanRatePer10k = new Kpi.RatePer10k("childrenOnPlanRatePer10k", "Children on a plan per 10,000",
        "childrenOnPlan per 10,000 children", ChildrenOnPlanAtD);

    public static readonly Kpi PlansOver18MonthsRate = new Kpi.Percentage("plansOver18MonthsRate", "Children on a plan for over 18 months",
        "children on a plan at D with an open plan started on s where s + 18 months ≤ D, over childrenOnPlan",
        new ChildrenOpenAtEnd(FactKind.Plan, MilestoneReached: true), ChildrenOnPlanAtD);

    public static readonly Kpi PlansStarted = new Kpi.Count("plansStarted", "Plans started",
        "plan-started events in W", PlansStartedInW);

    public static readonly Kpi RepeatPlansRate = new Kpi.Percentage("repeatPlansRate", "Second or subsequent plans",
        "plans started in W whose child had another plan started before (second or subsequent, ever), over plansStarted",
        new EventsIn(FactKind.PlanStarted, FactFlags.RepeatPlan), PlansStartedInW);

    public static readonly Kpi RepeatPlansWithin2YearsRate = new Kpi.Percentage("repeatPlansWithin2YearsRate", "Repeat plans within 2 years",
        "plans started in W on s whose child has an earlier plan that ceased in [s − 2 years, s], over plansStarted",
        new EventsIn(FactKind.PlanStarted, FactFlags.RepeatPlanWithin2Years), PlansStartedInW);

    public static readonly Kpi PlansCeased = new Kpi.Count("plansCeased", "Plans ceased",
        "plan-ceased events in W whose plan has a plan-started (of any date)", PlansCeasedInW);

    public static readonly Kpi PlansCeasedLasting2YearsRate = new Kpi.Percentage("plansCeasedLasting2YearsRate", "Ceased plans that lasted 2 years or more",
        "plans ceased in W that started on s and ceased on c with s + 2 years ≤ c, over plansCeased",
        new EventsIn(FactKind.PlanCeased, FactFlags.PlanKnown | FactFlags.Lasted2Years), PlansCeasedInW);

    public static readonly Kpi ChildrenLookedAfter = new Kpi.Count("childrenLookedAfter", "Children looked after",
        "distinct children who at D have a period of care started on or before D and not ended on or before D, short breaks (V3, V4) left out",
        ChildrenLookedAfterAtD);

    public static readonly Kpi ChildrenLookedAfterRatePer10k = new Kpi.RatePer10k("childrenLookedAfterRatePer10k", "Children looked after per 10,000",
        "childrenLookedAfter per 10,000 children", ChildrenLookedAfterAtD);

    public static readonly Kpi ReReferralsAfterConsentDeclinedRate = new Kpi.Percentage("reReferralsAfterConsentDeclinedRate", "Re-referrals after declined consent",
        "re-referrals in W at d whose child declined consent in [p, d), p the latest earlier referral, over re-referrals in W",
        new EventsIn(FactKind.Referral, FactFlags.ReReferral | FactFlags.ConsentDeclinedBefore), ReReferralsInW);

    private static readonly EventsIn AssessmentsCompletedInW = new(FactKind.AssessmentCompleted);
    private static readonly EventsIn ConferencesAfterTheirEnquiryInW = new(FactKind.InitialConference, FactFlags.AfterItsEnquiry);

    public static readonly Kpi AssessmentsCompleted = new Kpi.Count("assessmentsCompleted", "Assessments completed",
        "assessment-completed events in W whose assessmentId has an assessment-started of the same child dated on or before the completion",
        AssessmentsCompletedInW);

    public static readonly Kpi AssessmentsWithin45WorkingDaysRate = new Kpi.Percentage("assessmentsWithin45WorkingDaysRate", "Assessments completed within 45 working days",
        "those counted in assessmentsCompleted with wd(s, c) ≤ 45, s the earliest such assessment-started, over assessmentsCompleted",
        new EventsIn(FactKind.AssessmentCompleted, FactFlags.Within45WorkingDays), AssessmentsCompletedInW);

    public static readonly Kpi IcpcWithin15WorkingDaysRate = new Kpi.Percentage("icpcWithin15WorkingDaysRate", "Conferences within 15 working days of the S47",
        "icpc events in W dated i naming an s47Id whose earliest s47-started is dated s ≤ i, with wd(s, i) ≤ 15, over those icpc events",
        new EventsIn(FactKind.InitialConference, FactFlags.AfterItsEnquiry | FactFlags.Within15WorkingDays), ConferencesAfterTheirEnquiryInW);

    public static readonly Kpi PlansReviewedOnTimeRate = new Kpi.Percentage("plansReviewedOnTimeRate", "Plans reviewed on time",
        "children on a plan at D whose plan started on s with s + 3 months ≤ D and whose reviews were all on time up to D (first within 3 months, then every 6), over those children",
        new ChildrenOpenAtEnd(FactKind.PlanReviewedOnTime), new ChildrenOpenAtEnd(FactKind.PlanReviewsDue));

    /// <summary>Every measure of <c>kpis.md</c>, in its order.</summary>
    public static readonly IReadOnlyList<Kpi> All =
    [
        Contacts, Referrals, ChildrenReferred, ReferralFamilies, ReferralRatePer10k, ReReferralRate,
        ContactsToAssessmentOrS47Rate, EarlyHelpReferrals, ConsentDeclined, AssessmentsStarted, StrategyDiscussions,
        S47, S47RatePer10k, S47ToIcpcRate, Icpc, IcpcRatePer10k, ChildrenOnPlan, ChildrenOnPlanRatePer10k,
        PlansOver18MonthsRate, PlansStarted, RepeatPlansRate, RepeatPlansWithin2YearsRate, PlansCeased,
        PlansCeasedLasting2YearsRate, ChildrenLookedAfter, ChildrenLookedAfterRatePer10k,
        ReReferralsAfterConsentDeclinedRate, AssessmentsCompleted, AssessmentsWithin45WorkingDaysRate, IcpcWithin15WorkingDaysRate,
        PlansReviewedOnTimeRate,
    ];

    /// <summary>The distinct measures behind all KPIs, to count each once.</summary>
    public static IReadOnlyList<Measure> Measures { get; } = All.SelectMany(k => k.Measures).Distinct().ToList();

    /// <summary>All KPIs for a window, counted in memory from the given facts (the reference the SQL must equal).</summary>
    public static IReadOnlyDictionary<string, KpiValue> Evaluate(IEnumerable<Fact> facts, Window window, long? population)
    {
        var all = facts as IReadOnlyCollection<Fact> ?? facts.ToList();
        var counts = Measures.ToDictionary(m => m, m => m.CountIn(all, window));
        return All.ToDictionary(k => k.Key, k => k.Evaluate(m => counts[m], population));
    }
}
