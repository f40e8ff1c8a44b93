using Lscb.CaseFlow.Events;

namespace Lscb.CaseFlow.Api.Features.Importing;

/// <summary>The lists of the pathway, each read into its events: the columns it is read from, and what a row becomes.</summary>
public static partial class AnnexAReader
{
    // The columns each list is read from, as Ofsted's template heads them.
    private static readonly Column ContactDate = new("Date of Contact", "date of contact");
    private static readonly Column ContactSource = new("Contact Source", "contact source", "source of contact");
    private static readonly Column ReferralDate = new("Date of Referral", "date of referral", "referral date");
    private static readonly Column ReferralSource = new("Referral Source", "referral source", "source of referral");
    private static readonly Column ReferralNfa = new("Referral NFA?", "referral nfa");
    private static readonly Column AssessmentStart = new("Continuous Assessment Start Date", "continuous assessment start date", "assessment start date");
    private static readonly Column AssessmentAuthorised = new("Continuous Assessment Date of Authorisation",
        "continuous assessment date of authorisation", "assessment date of authorisation", "date of authorisation");
    private static readonly Column AssessmentNeed = new("Was the child assessed as requiring LA children's social care support?",
        "was the child assessed as requiring");
    private static readonly Column S47Start = new("Strategy discussion initiating Section 47 Enquiry Start Date",
        "strategy discussion initiating section 47 enquiry start date", "section 47 enquiry start date", "s47 start date");
    private static readonly Column ConferenceDate = new("Date of Initial Child Protection Conference", "date of initial child protection conference");
    private static readonly Column ConferencePlan = new("Did the Initial Child Protection Conference Result in a Child Protection Plan",
        "did the initial child protection conference result in a child protection plan");
    private static readonly Column PlanStart = new("Child Protection Plan Start Date", "child protection plan start date");
    private static readonly Column PlanCategory = new("Initial Category of Abuse", "initial category of abuse", "category of abuse");
    private static readonly Column PlanReview = new("Date of latest review conference", "date of latest review conference", "date of latest review");
    private static readonly Column PlanEnd = new("Child Protection Plan End Date", "child protection plan end date");
    private static readonly Column CareStart = new("Date Started to be Looked After", "date started to be looked after", "date started to be looked after (this period)");
    private static readonly Column LegalStatusStart = new("Start date of current legal status", "start date of current legal status");
    private static readonly Column LegalStatus = new("Child's Legal Status", "child's legal status", "legal status");
    private static readonly Column CareEnd = new("Date Ceased to be Looked After", "date ceased to be looked after");

    private static Column[] Required(int list) => list switch
    {
        1 => [ChildId, ContactDate, ContactSource],
        3 => [ChildId, ReferralDate],
        4 => [ChildId, AssessmentStart],
        5 => [ChildId, S47Start],
        7 => [ChildId, PlanStart, PlanCategory],
        8 => [ChildId, CareStart],
        _ => [ChildId],
    };

    private static void Contacts(RowContext r)
    {
        var on = r.RequiredDate(ContactDate);
        var source = r.Code(ContactSource, ReferralSourceOf, required: true);
        if (on is { } day && source is not null)
        {
            var contact = r.Record(RecordKinds.Contact, day);
            contact.Add("contact", ContactDate, day, new() { ["contactId"] = contact.Key.DataId(RecordKinds.Contact), ["referralSource"] = source });
        }
    }

    private static void Referrals(RowContext r)
    {
        var on = r.RequiredDate(ReferralDate);
        var source = r.Code(ReferralSource, ReferralSourceOf, required: false);
        var nfa = r.Code(ReferralNfa, YesNo, required: false);
        if (on is { } day)
        {
            var referral = r.Record(RecordKinds.Referral, day);
            var id = referral.Key.DataId(RecordKinds.Referral);
            referral.Add("referral", ReferralDate, day, new() { ["referralId"] = id, ["referralSource"] = source });
            if (nfa == "yes")
            {
                referral.Add("referral-nfa", ReferralNfa, day, new() { ["referralId"] = id });
            }
        }
    }

    private static void Assessments(RowContext r)
    {
        var started = r.RequiredDate(AssessmentStart);
        var authorised = r.OptionalDate(AssessmentAuthorised);
        var inNeed = r.Code(AssessmentNeed, YesNo, required: false);
        if (started is { } day)
        {
            var assessment = r.Record(RecordKinds.Assessment, day);
            var id = assessment.Key.DataId(RecordKinds.Assessment);
            assessment.Add("assessment-started", AssessmentStart, day, new() { ["assessmentId"] = id });
            if (authorised is { } done)
            {
                assessment.Add("assessment-completed", AssessmentAuthorised, done, new()
                {
                    ["assessmentId"] = id,
                    ["outcome"] = inNeed == "yes" ? "child-in-need" : null,
                });
            }
        }
    }

    private static void Enquiries(RowContext r, HashSet<(string, DateOnly)> planStarts)
    {
        var started = r.RequiredDate(S47Start);
        var conference = r.OptionalDate(ConferenceDate);
        var plan = r.Code(ConferencePlan, YesNo, required: false);
        if (started is not { } day)
        {
            return;
        }

        var strategy = r.Record(RecordKinds.Strategy, day);
        strategy.Add("strategy-discussion", S47Start, day, new() { ["strategyId"] = strategy.Key.DataId(RecordKinds.Strategy) });
        var s47 = r.Record(RecordKinds.S47, day);
        var s47Id = s47.Key.DataId(RecordKinds.S47);
        s47.Add("s47-started", S47Start, day, new() { ["s47Id"] = s47Id });
        if (conference is { } held)
        {
            var icpc = r.Record(RecordKinds.Conference, held);
            icpc.Add("icpc", ConferenceDate, held, new()
            {
                ["conferenceId"] = icpc.Key.DataId(RecordKinds.Conference),
                ["s47Id"] = s47Id,
                ["outcome"] = plan switch
                {
                    "yes" => "plan",
                    "no" => "no-plan",
                    _ => planStarts.Contains((r.Subject, held)) ? "plan" : "no-plan",
                },
            });
        }
    }

    private static void Plans(RowContext r)
    {
        var started = r.RequiredDate(PlanStart);
        var category = r.Code(PlanCategory, CategoryOf, required: true);
        var reviewed = r.OptionalDate(PlanReview);
        var ended = r.OptionalDate(PlanEnd);
        if (started is { } day && category is not null)
        {
            var plan = r.Record(RecordKinds.Plan, day);
            var id = plan.Key.DataId(RecordKinds.Plan);
            plan.Add("plan-started", PlanStart, day, new() { ["planId"] = id, ["category"] = category });
            if (reviewed is { } review)
            {
                plan.Add("plan-reviewed", PlanReview, review, new() { ["planId"] = id }, detail: review);
            }

            if (ended is { } end)
            {
                plan.Add("plan-ceased", PlanEnd, end, new() { ["planId"] = id });
            }
        }
    }

    private static void Care(RowContext r)
    {
        var started = r.RequiredDate(CareStart);
        var statusFrom = r.OptionalDate(LegalStatusStart);
        var status = r.Code(LegalStatus, LegalStatusOf, required: false);
        var ended = r.OptionalDate(CareEnd);
        if (started is not { } day)
        {
            return;
        }

        // The list gives the current legal status: it is the period's own when it began with the period (or it is
        // a short break, which a period is throughout); otherwise the status the period began with is unknown.
        var legalStatus = status is not null && (statusFrom is null || statusFrom == day || CodeLists.ShortBreakLegalStatuses.Contains(status))
            ? status
            : null;
        var care = r.Record(RecordKinds.Care, day);
        var id = care.Key.DataId(RecordKinds.Care);
        care.Add("lac-started", CareStart, day, new() { ["episodeId"] = id, ["legalStatus"] = legalStatus });
        if (ended is { } end)
        {
            care.Add("lac-ceased", CareEnd, end, new() { ["episodeId"] = id });
        }
    }
}
