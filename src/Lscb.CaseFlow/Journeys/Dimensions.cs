using Lscb.CaseFlow.Events;

namespace Lscb.CaseFlow.Journeys;

/// <summary>
/// The dimensions a KPI is broken down by (kpis.md, Breakdowns): each unit's value, as a pure function of its child's
/// history. A unit has exactly one value (<see cref="Unknown"/> or <see cref="None"/> where none is known), except under
/// <see cref="Factor"/>, where an assessment has each factor it names.
/// </summary>
public static class Dimensions
{
    public const string ReferralSource = "referralSource";
    public const string Agency = "agency";
    public const string MashDecision = "mashDecision";
    public const string Category = "category";
    public const string Factor = "factor";
    public const string LegalStatus = "legalStatus";

    public const string Unknown = "unknown";
    public const string None = "none";

    public static readonly IReadOnlyList<string> All = [ReferralSource, Agency, MashDecision, Category, Factor, LegalStatus];

    /// <summary>The referral sources grouped by the agency behind them, as kpis.md groups them.</summary>
    public static readonly CodeList Agencies = new("agencies", "Referring agency",
        ("individual", "individuals (family, acquaintance, the child, another individual)"), ("schools", "schools"),
        ("education", "education services"), ("health", "health services"), ("housing", "housing"),
        ("la-services", "local authority services"), ("police", "the police"), ("other-legal", "other legal agencies"),
        ("other", "other sources"), ("anonymous", "anonymous"), (Unknown, "unknown"));

    /// <summary>A referral source's agency: <c>unknown</c> for code 10 and for none.</summary>
    public static string AgencyOf(string? referralSource) => referralSource switch
    {
        "1A" or "1B" or "1C" or "1D" => "individual",
        "2A" => "schools",
        "2B" => "education",
        "3A" or "3B" or "3C" or "3D" or "3E" or "3F" => "health",
        "4" => "housing",
        "5A" or "5B" or "5C" or "5D" => "la-services",
        "6" => "police",
        "7" => "other-legal",
        "8" => "other",
        "9" => "anonymous",
        _ => Unknown,
    };

    /// <summary>A contact's own source.</summary>
    public static string SourceOf(ContactReceived contact) => contact.ReferralSource;

    /// <summary>
    /// A referral's source: its own, else that of the contact it names (the earliest-dated contact of the child with
    /// that id), else <c>unknown</c>, a group apart from the code 10.
    /// </summary>
    public static string SourceOf(ChildHistory history, ReferralAccepted referral) =>
        referral.ReferralSource is { Length: > 0 } own ? own
        : referral.ContactId is { } contactId
          && history.All<ContactReceived>().Where(c => c.ContactId == contactId).MinBy(c => c.OccurredOn) is { } contact
            ? contact.ReferralSource
            : Unknown;

    /// <summary>
    /// A contact's MASH decision for breakdowns: that of its latest-dated decision (on one date the furthest-reaching),
    /// or <c>none</c>.
    /// </summary>
    public static string DecisionOf(ChildHistory history, ContactReceived contact) =>
        history.All<MashDecisionMade>().Where(d => d.ContactId == contact.ContactId)
            .OrderBy(d => d.OccurredOn).ThenBy(d => CodeLists.MashDecisions.IndexOf(d.Decision))
            .LastOrDefault()?.Decision ?? None;

    /// <summary>A plan's category: that of its start (the earliest <c>plan-started</c>).</summary>
    public static string CategoryOf(Plan plan) => plan.Start.Category;

    /// <summary>
    /// A child's category at <paramref name="date"/>: that of its latest-started open plan (ties to the greatest plan
    /// id), or null when none is open.
    /// </summary>
    public static string? CategoryAt(ChildHistory history, DateOnly date) =>
        Pathway.CurrentPlanAt(Pathway.Plans(history), date) is { } plan ? CategoryOf(plan) : null;

    /// <summary>The factors a completed assessment names, each once, or <c>none</c>.</summary>
    public static IReadOnlyList<string> FactorsOf(AssessmentCompleted completed) =>
        completed.Factors is { Count: > 0 } factors ? [.. factors.Distinct(StringComparer.Ordinal)] : [None];

    /// <summary>
    /// A looked-after child's legal status at <paramref name="date"/>: that of its latest-started open episode that is
    /// not a short break (ties to the greatest episode id), <c>unknown</c> when it has none; null when none is open.
    /// </summary>
    public static string? LegalStatusAt(ChildHistory history, DateOnly date) =>
        Pathway.CareEpisodes(history).Where(e => !e.IsShortBreak && e.IsOpenAt(date))
            .OrderBy(e => e.Start.OccurredOn).ThenBy(e => e.EpisodeId, StringComparer.Ordinal)
            .LastOrDefault() is { } episode ? episode.Start.LegalStatus ?? Unknown : null;
}
