using System.Globalization;
using Lscb.CaseFlow.Events;
using Lscb.CaseFlow.Journeys;

namespace Lscb.CaseFlow.Tests.Support;

/// <summary>
/// Terse events for tests: <c>A.Referral("2016-04-13")</c>. Each gets the test source and a fresh event id;
/// the producer's ids default to one per child (or, for referrals, one per date) so most tests need not name them.
/// </summary>
internal static class A
{
    public const string Source = "urn:lscb:test";

    private static int lastId;

    public static DateOnly Day(string isoDate) => DateOnly.ParseExact(isoDate, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static ChildHistory History(params CaseEvent[] events) => ChildHistory.Of(events);

    public static ContactReceived Contact(string on, string contactId = "CT-1", string? familyId = null) =>
        Stamp(new ContactReceived { ContactId = contactId, ReferralSource = "2A", FamilyId = familyId }, on);

    public static ReferralAccepted Referral(string on, string? referralId = null, string? familyId = null) =>
        Stamp(new ReferralAccepted { ReferralId = referralId ?? $"R-{on}", FamilyId = familyId }, on);

    public static MashDecisionMade Decision(string on, string decision, string contactId = "CT-1") =>
        Stamp(new MashDecisionMade { ContactId = contactId, Decision = decision }, on);

    public static EarlyHelpReferred EarlyHelp(string on, string engageReferralId = "E-1") =>
        Stamp(new EarlyHelpReferred { EngageReferralId = engageReferralId }, on);

    public static ConsentDeclined ConsentDeclined(string on) => Stamp(new ConsentDeclined(), on);

    public static AssessmentStarted AssessmentStarted(string on, string assessmentId = "A-1") =>
        Stamp(new AssessmentStarted { AssessmentId = assessmentId }, on);

    public static AssessmentCompleted AssessmentCompleted(string on, string assessmentId = "A-1") =>
        Stamp(new AssessmentCompleted { AssessmentId = assessmentId, Outcome = "child-in-need" }, on);

    public static StrategyDiscussionHeld StrategyDiscussion(string on, string strategyId = "SD-1") =>
        Stamp(new StrategyDiscussionHeld { StrategyId = strategyId }, on);

    public static S47EnquiryStarted S47(string on, string s47Id = "S-1") =>
        Stamp(new S47EnquiryStarted { S47Id = s47Id }, on);

    public static S47EnquiryCompleted S47Completed(string on, string s47Id = "S-1") =>
        Stamp(new S47EnquiryCompleted { S47Id = s47Id, Outcome = "icpc" }, on);

    public static InitialConferenceHeld Conference(string on, string? s47Id = "S-1", string conferenceId = "IC-1") =>
        Stamp(new InitialConferenceHeld { ConferenceId = conferenceId, S47Id = s47Id, Outcome = "plan" }, on);

    public static PlanStarted Plan(string on, string planId = "P-1") =>
        Stamp(new PlanStarted { PlanId = planId, Category = "NEG" }, on);

    public static PlanCeased PlanCeased(string on, string planId = "P-1") =>
        Stamp(new PlanCeased { PlanId = planId }, on);

    public static BecameLookedAfter Care(string on, string? legalStatus = "C2", string episodeId = "L-1") =>
        Stamp(new BecameLookedAfter { EpisodeId = episodeId, LegalStatus = legalStatus }, on);

    public static CeasedToBeLookedAfter CareEnded(string on, string episodeId = "L-1") =>
        Stamp(new CeasedToBeLookedAfter { EpisodeId = episodeId }, on);

    public static NoFurtherActionDecided NoFurtherAction(string on, string? referralId = null) =>
        Stamp(new NoFurtherActionDecided { ReferralId = referralId ?? $"R-{on}" }, on);

    public static ReferralClosed ReferralClosed(string on, string referralId, string? reason = "RC1") =>
        Stamp(new ReferralClosed { ReferralId = referralId, Reason = reason }, on);

    public static ChildInNeedPlanStarted CinPlan(string on, string cinPlanId = "CINP-1") =>
        Stamp(new ChildInNeedPlanStarted { CinPlanId = cinPlanId }, on);

    public static ChildInNeedPlanCeased CinPlanCeased(string on, string cinPlanId = "CINP-1") =>
        Stamp(new ChildInNeedPlanCeased { CinPlanId = cinPlanId }, on);

    public static PlanReviewed PlanReviewed(string on, string planId = "P-1") =>
        Stamp(new PlanReviewed { PlanId = planId }, on);

    /// <summary>Takes <paramref name="recordedInError"/> back, from its own source, on its date unless told.</summary>
    public static EventRetracted Retraction(CaseEvent recordedInError, string? on = null) =>
        Stamp(new EventRetracted { RetractedId = recordedInError.EventId, Reason = "recorded in error" },
            on ?? recordedInError.OccurredOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
        with { Source = recordedInError.Source };

    private static T Stamp<T>(T e, string on) where T : CaseEvent =>
        (T)(e with { Source = Source, EventId = $"ev-{Interlocked.Increment(ref lastId):D6}", OccurredOn = Day(on) });
}
