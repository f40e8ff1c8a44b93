using Lscb.CaseFlow.Events;
using Lscb.CaseFlow.Facts;
using Lscb.CaseFlow.Journeys;
using Lscb.CaseFlow.Kpis;
using Lscb.CaseFlow.Tests.Support;

namespace Lscb.CaseFlow.Tests.Kpis;

public class BreakdownsTests
{
    private static readonly Window Q1 = new(A.Day("2016-04-01"), A.Day("2016-06-30"));

    private static List<(Fact Fact, FactUnit Unit)> UnitsOf(params (string Child, CaseEvent[] Events)[] children) =>
        [.. children.SelectMany(c => ChildFacts.WithUnits(c.Child, A.History(c.Events)))];

    [Fact]
    public void contacts_from_each_agency_are_counted_with_what_became_of_them()
    {
        var units = UnitsOf(
            ("C1", [A.Contact("2016-04-10", "CT-1") with { ReferralSource = "2A" }, A.Decision("2016-04-11", "assessment", "CT-1")]),
            ("C2", [A.Contact("2016-04-12", "CT-2") with { ReferralSource = "6" }, A.Decision("2016-04-13", "no-further-action", "CT-2")]),
            ("C3", [A.Contact("2016-04-14", "CT-3") with { ReferralSource = "3A" }]));

        var byAgency = Breakdowns.Evaluate(Dimensions.Agency, units, Q1);

        byAgency["contacts"].ToDictionary(g => g.Key, g => g.Value.Count).ShouldBe(
            new Dictionary<string, long?> { ["schools"] = 1, ["police"] = 1, ["health"] = 1 }, ignoreOrder: true);
        byAgency["contactsToAssessmentOrS47Rate"]["schools"].Value.ShouldBe(100);
        byAgency["contactsToAssessmentOrS47Rate"]["police"].Value.ShouldBe(0);
        byAgency["referrals"].ShouldBeEmpty("every KPI the dimension applies to is present, [] when no group occurs");
        Breakdowns.Evaluate(Dimensions.MashDecision, units, Q1)["contacts"].Keys.ShouldBe(["assessment", "no-further-action", "none"], ignoreOrder: true);
    }

    [Fact]
    public void a_referral_without_a_source_takes_its_contact_s_and_otherwise_is_unknown_apart_from_code_10()
    {
        var units = UnitsOf(
            ("C1", [A.Contact("2016-04-10", "CT-1") with { ReferralSource = "6" }, A.Referral("2016-04-11") with { ContactId = "CT-1" }]),
            ("C2", [A.Referral("2016-04-12") with { ReferralSource = "10" }]),
            ("C3", [A.Referral("2016-04-13")]));

        Breakdowns.Evaluate(Dimensions.ReferralSource, units, Q1)["referrals"].Keys.ShouldBe(["6", "10", "unknown"], ignoreOrder: true);
        Breakdowns.Evaluate(Dimensions.Agency, units, Q1)["referrals"]["unknown"].Count.ShouldBe(2, "both 10 and none");
    }

    [Fact]
    public void an_assessment_counts_under_each_factor_so_groups_may_sum_to_more_than_the_whole()
    {
        var units = UnitsOf(("C1",
        [
            A.AssessmentStarted("2016-04-01", "A-1"), A.AssessmentCompleted("2016-05-10", "A-1") with { Factors = ["3A", "1B"] },
            A.AssessmentStarted("2016-04-01", "A-2"), A.AssessmentCompleted("2016-05-11", "A-2"),
        ]));

        var byFactor = Breakdowns.Evaluate(Dimensions.Factor, units, Q1)["assessmentsCompleted"];

        byFactor.ToDictionary(g => g.Key, g => g.Value.Count).ShouldBe(
            new Dictionary<string, long?> { ["3A"] = 1, ["1B"] = 1, ["none"] = 1 }, ignoreOrder: true);
        byFactor.Values.Sum(v => v.Count).ShouldBe(3);
    }

    [Fact]
    public void a_child_on_two_plans_counts_under_the_category_of_the_latest_started()
    {
        var units = UnitsOf(
            ("C1", [A.Plan("2016-01-04", "P-1") with { Category = "EMO" }, A.Plan("2016-05-04", "P-2") with { Category = "PHY" }]),
            ("C2", [A.Plan("2016-02-04", "P-1") with { Category = "EMO" }]));

        var byCategory = Breakdowns.Evaluate(Dimensions.Category, units, Q1);

        byCategory["childrenOnPlan"].ToDictionary(g => g.Key, g => g.Value.Count).ShouldBe(
            new Dictionary<string, long?> { ["EMO"] = 1, ["PHY"] = 1 }, ignoreOrder: true);
        byCategory["plansStarted"]["PHY"].Count.ShouldBe(1, "a started plan under its own category");
    }

    [Fact]
    public void naseem_s_family_adds_up_under_every_single_valued_dimension()
    {
        var units = Naseem.Children.SelectMany(c => ChildFacts.WithUnits(c, Naseem.HistoryOf(c))).ToList();
        var year = new Window(A.Day("2016-04-01"), A.Day("2017-03-31"));
        var whole = KpiDefinitions.Evaluate(units.Select(u => u.Fact), year, population: null);

        foreach (var dimension in Dimensions.All.Where(d => d != Dimensions.Factor))
        {
            foreach (var (key, groups) in Breakdowns.Evaluate(dimension, units, year))
            {
                var kpi = KpiDefinitions.All.Single(k => k.Key == key);
                if (kpi is Kpi.Count && key != "childrenReferred")
                {
                    groups.Values.Sum(v => v.Count ?? 0).ShouldBe(whole[key].Count ?? 0, $"{key} by {dimension}");
                }
                else if (kpi is Kpi.Percentage)
                {
                    groups.Values.Sum(v => v.Denominator ?? 0).ShouldBe(whole[key].Denominator ?? 0, $"{key} by {dimension}");
                    groups.Values.Sum(v => v.Numerator ?? 0).ShouldBe(whole[key].Numerator ?? 0, $"{key} by {dimension}");
                }
            }
        }
    }
}
