namespace Lscb.CaseFlow.Facts;

/// <summary>What a fact records. Stored as its number: never renumber.</summary>
public enum FactKind
{
    Contact = 1,
    Referral = 2,
    EarlyHelpReferral = 3,
    ConsentDeclined = 4,
    AssessmentStarted = 5,
    StrategyDiscussion = 6,
    S47Started = 7,
    InitialConference = 8,
    PlanStarted = 9,
    PlanCeased = 10,
    /// <summary>A plan's span: from its start to its first cease.</summary>
    Plan = 11,
    /// <summary>A period of care's span: from its start to its end.</summary>
    CareEpisode = 12,
    /// <summary>An assessment completed with a start on or before it (kpis.md's assessmentsCompleted).</summary>
    AssessmentCompleted = 13,
    /// <summary>Dates on which the child's plan has had 3 months for its first review (plansReviewedOnTimeRate's denominator).</summary>
    PlanReviewsDue = 14,
    /// <summary>The part of those dates on which every review so far was on time and none is overdue.</summary>
    PlanReviewedOnTime = 15,
}

/// <summary>What the child's history says about a fact. Stored as bits: never renumber.</summary>
[Flags]
public enum FactFlags
{
    None = 0,
    /// <summary>A referral with another referral of the child in the 12 months before it.</summary>
    ReReferral = 1 << 0,
    /// <summary>A re-referral with consent declined between the previous referral and it.</summary>
    ConsentDeclinedBefore = 1 << 1,
    /// <summary>A contact with a MASH decision of assessment or section 47.</summary>
    ProceededToAssessmentOrS47 = 1 << 2,
    /// <summary>An S47 enquiry named by an initial child protection conference.</summary>
    LedToConference = 1 << 3,
    /// <summary>A plan started after another plan of the child started.</summary>
    RepeatPlan = 1 << 4,
    /// <summary>A plan started within 2 years of an earlier plan ceasing.</summary>
    RepeatPlanWithin2Years = 1 << 5,
    /// <summary>A cease whose plan has a start.</summary>
    PlanKnown = 1 << 6,
    /// <summary>A cease ending a plan that lasted 2 years or more.</summary>
    Lasted2Years = 1 << 7,
    /// <summary>A period of care that is a short-break placement (V3, V4).</summary>
    ShortBreak = 1 << 8,
    /// <summary>A contact whose furthest MASH decision was no further action.</summary>
    DecidedNoFurtherAction = 1 << 9,
    /// <summary>A contact whose furthest MASH decision was information and advice.</summary>
    DecidedInformationAdvice = 1 << 10,
    /// <summary>A contact whose furthest MASH decision was early help.</summary>
    DecidedEarlyHelp = 1 << 11,
    /// <summary>A contact whose furthest MASH decision was an assessment.</summary>
    DecidedAssessment = 1 << 12,
    /// <summary>A contact whose furthest MASH decision was a section 47 enquiry.</summary>
    DecidedSection47 = 1 << 13,
    /// <summary>A referral of a child who declined consent in the 12 months before it.</summary>
    ConsentDeclinedWithin12MonthsBefore = 1 << 14,
    /// <summary>An assessment completed within 45 working days of its start.</summary>
    Within45WorkingDays = 1 << 15,
    /// <summary>A conference naming an S47 enquiry that started on or before it.</summary>
    AfterItsEnquiry = 1 << 16,
    /// <summary>A conference within 15 working days of its enquiry's start.</summary>
    Within15WorkingDays = 1 << 17,
}

/// <summary>
/// One indexed fact about one child, derived from the child's whole history, from which every KPI of a
/// window is counted. <see cref="On"/> is the event's date, or a span's start; <see cref="Until"/> is a
/// span's end (exclusive: the span is open on dates before it); <see cref="Milestone"/> is the date a
/// plan has lasted 18 months.
/// </summary>
public sealed record Fact(
    string ChildId,
    FactKind Kind,
    DateOnly On,
    FactFlags Flags = FactFlags.None,
    DateOnly? Until = null,
    DateOnly? Milestone = null,
    string? FamilyId = null)
{
    public bool Has(FactFlags flags) => (Flags & flags) == flags;

    public bool IsOpenAt(DateOnly date) => On <= date && (Until is null || Until > date);
}

/// <summary>
/// The unit a fact counts (kpis.md, Cohorts: its event's source and id; a span's plan or episode id as its key) and
/// the unit's values under the breakdowns' dimensions (<see cref="Journeys.Dimensions"/>); null where a dimension does
/// not apply to it. Kept beside the fact, not in it, so a fact stays the plain row every KPI counts.
/// </summary>
public sealed record FactUnit(
    string? Source = null,
    string? Id = null,
    string? Key = null,
    string? ReferralSource = null,
    string? MashDecision = null,
    string? Category = null,
    string? LegalStatus = null,
    IReadOnlyList<string>? Factors = null)
{
    public static readonly FactUnit None = new();
}
