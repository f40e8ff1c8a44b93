using Lscb.CaseFlow.Calendar;
using Lscb.CaseFlow.Events;

namespace Lscb.CaseFlow.Journeys;

/// <summary>
/// Timeliness as kpis.md measures it, per child: assessments within 45 working days, initial conferences within 15
/// working days of their enquiry starting, plans reviewed within 3 and then every 6 months. Pure functions of a
/// child's history.
/// </summary>
public static class Timeliness
{
    public const int AssessmentWorkingDays = 45;
    public const int ConferenceWorkingDays = 15;
    public const int FirstReviewMonths = 3;
    public const int LaterReviewMonths = 6;

    /// <summary>The assessment's start a completion is measured from: its earliest start dated on or before it, if any.</summary>
    public static AssessmentStarted? StartOf(ChildHistory history, AssessmentCompleted completed) =>
        history.All<AssessmentStarted>()
            .Where(s => s.AssessmentId == completed.AssessmentId && s.OccurredOn <= completed.OccurredOn)
            .MinBy(s => s.OccurredOn);

    /// <summary>The working days an assessment took, or null when it has no start on or before its completion.</summary>
    public static int? WorkingDaysOf(ChildHistory history, AssessmentCompleted completed) =>
        StartOf(history, completed) is { } start ? WorkingDays.Between(start.OccurredOn, completed.OccurredOn) : null;

    /// <summary>The enquiry a conference is measured from: the earliest start of the S47 it names, dated on or before it.</summary>
    public static S47EnquiryStarted? EnquiryOf(ChildHistory history, InitialConferenceHeld conference) =>
        conference.S47Id is { } s47Id
            ? history.All<S47EnquiryStarted>().Where(s => s.S47Id == s47Id && s.OccurredOn <= conference.OccurredOn).MinBy(s => s.OccurredOn)
            : null;

    /// <summary>The working days from the enquiry's start to the conference, or null when it names no earlier enquiry.</summary>
    public static int? WorkingDaysOf(ChildHistory history, InitialConferenceHeld conference) =>
        EnquiryOf(history, conference) is { } s47 ? WorkingDays.Between(s47.OccurredOn, conference.OccurredOn) : null;

    /// <summary>A plan's review dates: the distinct dates of its reviews after its start, in order.</summary>
    public static IReadOnlyList<DateOnly> ReviewsOf(ChildHistory history, Plan plan) =>
        [.. history.All<PlanReviewed>().Where(r => r.PlanId == plan.PlanId && r.OccurredOn > plan.StartedOn)
            .Select(r => r.OccurredOn).Distinct().Order()];

    /// <summary>
    /// The last date on which the plan's reviews are on time: the first review due within 3 months of the start, each
    /// later one within 6 months of the one before. On any date up to it every review so far was on time and the next
    /// is not yet overdue; on every date after it one was late or is overdue.
    /// </summary>
    public static DateOnly OnTimeUntil(ChildHistory history, Plan plan)
    {
        var deadlines = ReviewDeadlines(history, plan);
        foreach (var (review, due) in deadlines)
        {
            if (review > due)
            {
                return due;
            }
        }

        return deadlines.Count == 0 ? plan.StartedOn.AddMonths(FirstReviewMonths) : deadlines[^1].Review.AddMonths(LaterReviewMonths);
    }

    /// <summary>Each review with the date it was due by (the start + 3 months, then the review before + 6 months).</summary>
    public static IReadOnlyList<(DateOnly Review, DateOnly Due)> ReviewDeadlines(ChildHistory history, Plan plan)
    {
        var deadlines = new List<(DateOnly, DateOnly)>();
        var due = plan.StartedOn.AddMonths(FirstReviewMonths);
        foreach (var review in ReviewsOf(history, plan))
        {
            deadlines.Add((review, due));
            due = review.AddMonths(LaterReviewMonths);
        }

        return deadlines;
    }

    /// <summary>
    /// The spans of dates on which each plan is the child's plan for reviews: the latest started of its open plans (on
    /// one start date, the greatest plan id in ordinal order), as kpis.md reads "the child's plan". Spans are
    /// [From, Until): open on dates before Until.
    /// </summary>
    public static IReadOnlyList<(Plan Plan, DateOnly From, DateOnly? Until)> CurrentPlanSpans(IReadOnlyList<Plan> plans)
    {
        var changes = plans.SelectMany(p => p.Ceased is { } c ? new[] { p.StartedOn, c.OccurredOn } : [p.StartedOn])
            .Distinct().Order().ToList();
        var spans = new List<(Plan Plan, DateOnly From, DateOnly? Until)>();
        for (var i = 0; i < changes.Count; i++)
        {
            var at = changes[i];
            var current = Pathway.CurrentPlanAt(plans, at);
            if (current is null)
            {
                continue;
            }

            DateOnly? until = i + 1 < changes.Count ? changes[i + 1] : null;
            if (spans.Count > 0 && spans[^1].Plan == current && spans[^1].Until == at)
            {
                spans[^1] = (current, spans[^1].From, until);
            }
            else
            {
                spans.Add((current, at, until));
            }
        }

        return spans;
    }
}
