using System.Text.Json;
using Lscb.CaseFlow.Api.Host.Demo;
using Lscb.CaseFlow.Api.Features.Ingesting;
using Lscb.CaseFlow.Facts;
using Lscb.CaseFlow.Journeys;
using Lscb.CaseFlow.Kpis;
using Xunit.Abstractions;

namespace Lscb.CaseFlow.Api.Tests.Host;

/// <summary>The demo data tells the seed report's story: April–June 2016 lands within 10 % of its figures.</summary>
public sealed class DemoDataTests(ITestOutputHelper output)
{
    private static readonly Lazy<List<Fact>> DemoFacts = new(() => DemoData.SyntheticPopulation()
        .Select((e, i) => (Child: e["subject"]!.GetValue<string>(), Event: EventMapper.ToDomain(new IncomingEvent(i, JsonSerializer.SerializeToElement(e)))))
        .GroupBy(x => x.Child)
        .SelectMany(g => ChildFacts.Of(g.Key, ChildHistory.Of(g.Select(x => x.Event))))
        .ToList());

    private static readonly Lazy<IReadOnlyDictionary<string, KpiValue>> Q1 = new(() =>
        KpiDefinitions.Evaluate(DemoFacts.Value, new Window(new(2016, 4, 1), new(2016, 6, 30)), 45_260));

    [Theory]
    [InlineData("contacts", 840)]
    [InlineData("referrals", 697)]
    [InlineData("referralFamilies", 348)]
    [InlineData("referralRatePer10k", 154)]
    [InlineData("contactsToAssessmentOrS47Rate", 62)]
    [InlineData("s47ToIcpcRate", 39)]
    [InlineData("childrenOnPlan", 173)]
    [InlineData("plansOver18MonthsRate", 10)]
    [InlineData("childrenLookedAfter", 359)]
    [InlineData("reReferralRate", 37.7)]
    [InlineData("s47RatePer10k", 33.25)]
    public void april_to_june_2016_lands_within_10_percent_of_the_seed(string kpi, double seed)
    {
        var value = Q1.Value[kpi].Value!.Value;
        output.WriteLine($"{kpi}: {value:0.0} (seed {seed})");

        value.ShouldBeInRange(seed * 0.9, seed * 1.1, kpi);
    }

    [Fact]
    public void the_demo_shows_repeat_plans_and_declined_consent_at_the_seeds_levels()
    {
        foreach (var key in new[] { "repeatPlansWithin2YearsRate", "consentDeclined", "reReferralsAfterConsentDeclinedRate", "plansCeasedLasting2YearsRate" })
        {
            output.WriteLine($"{key}: {Q1.Value[key].Value:0.0}");
        }

        Q1.Value["repeatPlansWithin2YearsRate"].Value!.Value.ShouldBeInRange(4, 20);
        Q1.Value["consentDeclined"].Count!.Value.ShouldBeGreaterThan(20);
        Q1.Value["reReferralsAfterConsentDeclinedRate"].Value!.Value.ShouldBeGreaterThan(0);
    }

    [Theory]
    [InlineData("assessmentsWithin45WorkingDaysRate", 80, 95)]
    [InlineData("icpcWithin15WorkingDaysRate", 70, 95)]
    [InlineData("plansReviewedOnTimeRate", 80, 99)]
    public void the_demo_shows_timeliness_as_an_authority_would_mostly_on_time_with_a_tail(string kpi, double low, double high)
    {
        var value = Q1.Value[kpi];
        output.WriteLine($"{kpi}: {value.Value:0.0} ({value.Numerator} of {value.Denominator})");

        value.Denominator!.Value.ShouldBeGreaterThan(50, kpi);
        value.Value!.Value.ShouldBeInRange(low, high, kpi);
    }

    [Fact]
    public void the_demo_supports_the_seeds_hypothesis_that_declined_consent_brings_children_back()
    {
        var facts = DemoFacts.Value;
        var q1 = new Window(new(2016, 4, 1), new(2016, 6, 30));
        var result = Reporting.ConsentHypothesis.Evaluate(m => m.CountIn(facts, q1));
        output.WriteLine(result.Sentence);

        result.AfterConsentDeclined.Rate!.Value.ShouldBeGreaterThan(result.Otherwise.Rate!.Value);
    }
}
