namespace Lscb.CaseFlow.Events;

/// <summary>How a field of an event's <c>data</c> is checked.</summary>
public enum FieldKind
{
    /// <summary>A producer's id: 1–64 characters.</summary>
    Id,
    /// <summary>One code of <see cref="FieldSpec.Codes"/>.</summary>
    Code,
    /// <summary>A non-empty array of codes of <see cref="FieldSpec.Codes"/>.</summary>
    CodeArray,
    /// <summary>Free text: 1–500 characters.</summary>
    Text,
    /// <summary>Another event's CloudEvents id: 1–128 characters.</summary>
    EventId,
}

public sealed record FieldSpec(string Name, FieldKind Kind, bool Required, IReadOnlySet<string>? Codes = null)
{
    public const int MaxIdLength = 64;
    public const int MaxTextLength = 500;
    public const int MaxEventIdLength = 128;
}

/// <summary>One wire type of the contract (<c>events.md</c>) and the event it becomes.</summary>
public sealed record EventType(string Name, Type ClrType, IReadOnlyList<FieldSpec> Fields)
{
    public FieldSpec? Field(string name) => Fields.FirstOrDefault(f => f.Name == name);
}

/// <summary>The wire contract's types, in pathway order: the single place that names them.</summary>
public static class EventTypes
{
    public const string OccurredOnField = "occurredOn";

    public static readonly IReadOnlyList<EventType> All =
    [
        new("contact", typeof(ContactReceived),
            [Id("contactId"), Code("referralSource", CodeLists.ReferralSources), Id("familyId", required: false)]),
        new("referral", typeof(ReferralAccepted),
            [Id("referralId"), Id("contactId", false), Id("familyId", false), Code("referralSource", CodeLists.ReferralSources, false)]),
        new("referral-nfa", typeof(NoFurtherActionDecided),
            [Id("referralId")]),
        new("mash-decision", typeof(MashDecisionMade),
            [Id("contactId"), Code("decision", CodeLists.MashDecisions)]),
        new("engage-referral", typeof(EarlyHelpReferred),
            [Id("engageReferralId"), Id("contactId", false)]),
        new("consent-declined", typeof(ConsentDeclined),
            [Id("engageReferralId", false)]),
        new("assessment-started", typeof(AssessmentStarted),
            [Id("assessmentId")]),
        new("assessment-completed", typeof(AssessmentCompleted),
            [Id("assessmentId"), Code("outcome", CodeLists.AssessmentOutcomes, false),
             new FieldSpec("factors", FieldKind.CodeArray, false, CodeLists.AssessmentFactors)]),
        new("cin-plan-started", typeof(ChildInNeedPlanStarted),
            [Id("cinPlanId")]),
        new("cin-plan-ceased", typeof(ChildInNeedPlanCeased),
            [Id("cinPlanId")]),
        new("strategy-discussion", typeof(StrategyDiscussionHeld),
            [Id("strategyId")]),
        new("s47-started", typeof(S47EnquiryStarted),
            [Id("s47Id")]),
        new("s47-completed", typeof(S47EnquiryCompleted),
            [Id("s47Id"), Code("outcome", CodeLists.S47Outcomes)]),
        new("icpc", typeof(InitialConferenceHeld),
            [Id("conferenceId"), Id("s47Id", false), Code("outcome", CodeLists.ConferenceOutcomes)]),
        new("plan-started", typeof(PlanStarted),
            [Id("planId"), Code("category", CodeLists.AbuseCategories)]),
        new("plan-reviewed", typeof(PlanReviewed),
            [Id("planId")]),
        new("plan-ceased", typeof(PlanCeased),
            [Id("planId"), new FieldSpec("reason", FieldKind.Text, false)]),
        new("lac-started", typeof(BecameLookedAfter),
            [Id("episodeId"), Code("legalStatus", CodeLists.LegalStatuses, false)]),
        new("lac-ceased", typeof(CeasedToBeLookedAfter),
            [Id("episodeId")]),
        new("referral-closed", typeof(ReferralClosed),
            [Id("referralId"), Code("reason", CodeLists.ClosureReasons, false)]),
        new("retraction", typeof(EventRetracted),
            [new FieldSpec("retractedId", FieldKind.EventId, true), new FieldSpec("reason", FieldKind.Text, true)]),
    ];

    /// <summary>
    /// The types added for what the children-in-need census records beyond <c>events.md</c> (docs/imports.md): any
    /// producer may send them, and the journey and the census's rules read them, but no KPI counts them.
    /// </summary>
    public static readonly IReadOnlySet<string> CensusRecords = new HashSet<string>(
        ["referral-nfa", "referral-closed", "cin-plan-started", "cin-plan-ceased"], StringComparer.Ordinal);

    private static readonly Dictionary<string, EventType> ByName = All.ToDictionary(t => t.Name, StringComparer.Ordinal);
    private static readonly Dictionary<Type, EventType> ByClrType = All.ToDictionary(t => t.ClrType);

    public static EventType? Find(string? name) => name is not null && ByName.TryGetValue(name, out var t) ? t : null;

    public static EventType Of(CaseEvent e) => ByClrType[e.GetType()];

    public static string NameOf(CaseEvent e) => Of(e).Name;

    private static FieldSpec Id(string name, bool required = true) => new(name, FieldKind.Id, required);

    private static FieldSpec Code(string name, IReadOnlySet<string> codes, bool required = true) =>
        new(name, FieldKind.Code, required, codes);
}
