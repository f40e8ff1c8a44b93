using Lscb.CaseFlow.Facts;
using Lscb.CaseFlow.Journeys;
using Lscb.CaseFlow.Tests.Support;

namespace Lscb.CaseFlow.Tests.Facts;

/// <summary>
/// The facts of Naseem's family against the figures naseem.expected.json gives, where a figure is a plain
/// count of facts (no KPI engine here: the rates' numerators and the counts they rest on).
/// </summary>
public class NaseemFactsTests
{
    private static readonly IReadOnlyList<Fact> FamilyFacts =
        [.. Naseem.Children.SelectMany(child => ChildFacts.Of(child, Naseem.HistoryOf(child)))];

    /// <summary>Figures that are the number of facts of one kind, with the given flags, dated in the window.</summary>
    private static readonly (string Kpi, string Field, FactKind Kind, FactFlags Flags)[] DatedCounts =
    [
        ("contacts", "value", FactKind.Contact, FactFlags.None),
        ("contactsToAssessmentOrS47Rate", "numerator", FactKind.Contact, FactFlags.ProceededToAssessmentOrS47),
        ("referrals", "value", FactKind.Referral, FactFlags.None),
        ("reReferralRate", "numerator", FactKind.Referral, FactFlags.ReReferral),
        ("reReferralsAfterConsentDeclinedRate", "denominator", FactKind.Referral, FactFlags.ReReferral),
        ("reReferralsAfterConsentDeclinedRate", "numerator", FactKind.Referral, FactFlags.ReReferral | FactFlags.ConsentDeclinedBefore),
        ("earlyHelpReferrals", "value", FactKind.EarlyHelpReferral, FactFlags.None),
        ("consentDeclined", "value", FactKind.ConsentDeclined, FactFlags.None),
        ("assessmentsStarted", "value", FactKind.AssessmentStarted, FactFlags.None),
        ("strategyDiscussions", "value", FactKind.StrategyDiscussion, FactFlags.None),
        ("s47", "value", FactKind.S47Started, FactFlags.None),
        ("s47ToIcpcRate", "numerator", FactKind.S47Started, FactFlags.LedToConference),
        ("icpc", "value", FactKind.InitialConference, FactFlags.None),
        ("plansStarted", "value", FactKind.PlanStarted, FactFlags.None),
        ("repeatPlansRate", "numerator", FactKind.PlanStarted, FactFlags.RepeatPlan),
        ("repeatPlansWithin2YearsRate", "numerator", FactKind.PlanStarted, FactFlags.RepeatPlanWithin2Years),
        ("plansCeased", "value", FactKind.PlanCeased, FactFlags.PlanKnown),
        ("plansCeasedLasting2YearsRate", "numerator", FactKind.PlanCeased, FactFlags.PlanKnown | FactFlags.Lasted2Years),
    ];

    public static TheoryData<string, string> Windows
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var window in Naseem.Expected.GetProperty("windows").EnumerateArray())
            {
                data.Add(window.GetProperty("from").GetString()!, window.GetProperty("to").GetString()!);
            }

            return data;
        }
    }

    public static TheoryData<string, string, string, string> WindowedFigures
    {
        get
        {
            var data = new TheoryData<string, string, string, string>();
            foreach (var (from, to) in Windows.Select(row => ((string)row[0], (string)row[1])))
            {
                foreach (var (kpi, figure, _, _) in DatedCounts)
                {
                    data.Add(from, to, kpi, figure);
                }
            }

            return data;
        }
    }

    [Fact]
    public void one_referral_in_the_first_quarter_of_2016_17_is_a_re_referral_after_consent_was_declined()
    {
        var reReferral = InWindow("2016-04-01", "2016-06-30")
            .Where(f => f.Kind == FactKind.Referral && f.Has(FactFlags.ReReferral)).ShouldHaveSingleItem();

        reReferral.ChildId.ShouldBe(Naseem.NaseemId);
        reReferral.On.ShouldBe(A.Day("2016-04-13"));
        reReferral.Has(FactFlags.ConsentDeclinedBefore).ShouldBeTrue();
    }

    [Fact]
    public void contact_retracted_in_august_2016_gives_no_fact()
    {
        InWindow("2016-07-01", "2016-09-30").ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(WindowedFigures))]
    public void facts_dated_in_the_window_count_as_the_expected_figure(string from, string to, string kpi, string field)
    {
        var (_, _, kind, flags) = DatedCounts.Single(c => c.Kpi == kpi && c.Field == field);

        InWindow(from, to).Count(f => f.Kind == kind && f.Has(flags)).ShouldBe(Expected(from, to, kpi, field));
    }

    [Theory]
    [MemberData(nameof(Windows))]
    public void referral_facts_in_the_window_name_the_expected_children_and_families(string from, string to)
    {
        var referrals = InWindow(from, to).Where(f => f.Kind == FactKind.Referral).ToList();

        referrals.Select(f => f.ChildId).Distinct().Count().ShouldBe(Expected(from, to, "childrenReferred", "value"));
        referrals.Select(f => f.FamilyId).OfType<string>().Distinct().Count().ShouldBe(Expected(from, to, "referralFamilies", "value"));
    }

    [Theory]
    [MemberData(nameof(Windows))]
    public void spans_open_at_the_window_end_give_the_expected_children_on_plan_and_looked_after(string from, string to)
    {
        var end = A.Day(to);
        var openPlans = FamilyFacts.Where(f => f.Kind == FactKind.Plan && f.IsOpenAt(end)).ToList();
        var inCare = FamilyFacts.Where(f => f.Kind == FactKind.CareEpisode && !f.Has(FactFlags.ShortBreak) && f.IsOpenAt(end));

        openPlans.Select(f => f.ChildId).Distinct().Count().ShouldBe(Expected(from, to, "childrenOnPlan", "value"));
        openPlans.Where(f => f.Milestone <= end).Select(f => f.ChildId).Distinct().Count()
            .ShouldBe(Expected(from, to, "plansOver18MonthsRate", "numerator"));
        inCare.Select(f => f.ChildId).Distinct().Count().ShouldBe(Expected(from, to, "childrenLookedAfter", "value"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void facts_are_the_same_whatever_the_arrival_order(int seed)
    {
        var random = new Random(seed);
        foreach (var child in Naseem.Children)
        {
            var shuffled = Naseem.EventsOf(child).OrderBy(_ => random.Next()).ToList();

            ChildFacts.Of(child, ChildHistory.Of(shuffled)).ShouldBe(ChildFacts.Of(child, Naseem.HistoryOf(child)));
        }
    }

    private static IEnumerable<Fact> InWindow(string from, string to) =>
        FamilyFacts.Where(f => f.On >= A.Day(from) && f.On <= A.Day(to) && f.Kind is not (FactKind.Plan or FactKind.CareEpisode or FactKind.PlanReviewsDue or FactKind.PlanReviewedOnTime));

    private static int Expected(string from, string to, string kpi, string field) =>
        Naseem.Expected.GetProperty("windows").EnumerateArray()
            .Single(w => w.GetProperty("from").GetString() == from && w.GetProperty("to").GetString() == to)
            .GetProperty("kpis").GetProperty(kpi).GetProperty(field).GetInt32();
}
