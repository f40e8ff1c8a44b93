namespace Lscb.CaseFlow.Events;

/// <summary>
/// Something that happened in a child's case, as recorded by an upstream system. Every event carries
/// the producer's identity for it (<see cref="Source"/> + <see cref="EventId"/>, as CloudEvents defines)
/// and the date it happened in the child's life, which every measure uses.
/// </summary>
public abstract record CaseEvent
{
    public string Source { get; init; } = "";
    public string EventId { get; init; } = "";
    public DateOnly OccurredOn { get; init; }
}

// The pathway, in order: the front door, the MASH decision, early help or assessment,
// strategy discussion and S47, conference, plan, care. Then the correction of a mistake.

public sealed record ContactReceived : CaseEvent
{
    public required string ContactId { get; init; }
    public required string ReferralSource { get; init; }
    public string? FamilyId { get; init; }
}

public sealed record ReferralAccepted : CaseEvent
{
    public required string ReferralId { get; init; }
    public string? ContactId { get; init; }
    public string? FamilyId { get; init; }
    public string? ReferralSource { get; init; }
}

public sealed record MashDecisionMade : CaseEvent
{
    public required string ContactId { get; init; }
    public required string Decision { get; init; }
}

public sealed record EarlyHelpReferred : CaseEvent
{
    public required string EngageReferralId { get; init; }
    public string? ContactId { get; init; }
}

public sealed record ConsentDeclined : CaseEvent
{
    public string? EngageReferralId { get; init; }
}

public sealed record AssessmentStarted : CaseEvent
{
    public required string AssessmentId { get; init; }
}

public sealed record AssessmentCompleted : CaseEvent
{
    public required string AssessmentId { get; init; }
    public string? Outcome { get; init; }
    public IReadOnlyList<string>? Factors { get; init; }
}

public sealed record StrategyDiscussionHeld : CaseEvent
{
    public required string StrategyId { get; init; }
}

public sealed record S47EnquiryStarted : CaseEvent
{
    public required string S47Id { get; init; }
}

public sealed record S47EnquiryCompleted : CaseEvent
{
    public required string S47Id { get; init; }
    public required string Outcome { get; init; }
}

public sealed record InitialConferenceHeld : CaseEvent
{
    public required string ConferenceId { get; init; }
    public string? S47Id { get; init; }
    public required string Outcome { get; init; }
}

public sealed record PlanStarted : CaseEvent
{
    public required string PlanId { get; init; }
    public required string Category { get; init; }
}

public sealed record PlanCeased : CaseEvent
{
    public required string PlanId { get; init; }
    public string? Reason { get; init; }
}

public sealed record BecameLookedAfter : CaseEvent
{
    public required string EpisodeId { get; init; }
    public string? LegalStatus { get; init; }
}

public sealed record CeasedToBeLookedAfter : CaseEvent
{
    public required string EpisodeId { get; init; }
}

// What the children-in-need census records beyond the pathway above (docs/imports.md): how a referral's episode
// ended, a referral taken no further, child-in-need plans and the reviews of a child protection plan.

/// <summary>No further action was taken on the referral (CIN <c>ReferralNFA</c>); dated the day of the referral.</summary>
public sealed record NoFurtherActionDecided : CaseEvent
{
    public required string ReferralId { get; init; }
}

/// <summary>The child-in-need episode that the referral opened was closed (CIN <c>CINclosureDate</c>).</summary>
public sealed record ReferralClosed : CaseEvent
{
    public required string ReferralId { get; init; }

    /// <summary>CIN <c>ReasonForClosure</c>, <c>RC1</c>–<c>RC9</c>.</summary>
    public string? Reason { get; init; }
}

public sealed record ChildInNeedPlanStarted : CaseEvent
{
    public required string CinPlanId { get; init; }
}

public sealed record ChildInNeedPlanCeased : CaseEvent
{
    public required string CinPlanId { get; init; }
}

/// <summary>A review conference of the child protection plan <see cref="PlanId"/> was held.</summary>
public sealed record PlanReviewed : CaseEvent
{
    public required string PlanId { get; init; }
}

/// <summary>The event <see cref="RetractedId"/> of the same source and child was recorded in error.</summary>
public sealed record EventRetracted : CaseEvent
{
    public required string RetractedId { get; init; }
    public required string Reason { get; init; }
}
