using Lscb.CaseFlow.Events;
using Lscb.CaseFlow.Facts;
using Lscb.CaseFlow.Journeys;
using Lscb.CaseFlow.Kpis;
using Lscb.CaseFlow.Reporting;
using Lscb.CaseFlow.Tests.Support;

namespace Lscb.CaseFlow.Tests.Reporting;

/// <summary>
/// The seed's hypothesis: children whose parents declined consent for early help come back. A referral follows
/// declined consent when the child has a consent-declined in [d − 12 months, d).
/// </summary>
public class ConsentHypothesisTests
{
    private static readonly Window AprilToJune2016 = new(A.Day("2016-04-01"), A.Day("2016-06-30"));

    // ---- Consent declined within 12 months before a referral -------------------------------------------------

    [Theory]
    [InlineData("2015-04-13", true)]
    [InlineData("2015-04-12", false)]
    [InlineData("2016-01-08", true)]
    [InlineData("2016-04-12", true)]
    [InlineData("2016-04-13", false)]
    [InlineData("2016-04-14", false)]
    public void consent_declined_exactly_12_months_earlier_counts_a_day_more_does_not_nor_the_same_day(string declined, bool within)
    {
        var referral = A.Referral("2016-04-13");

        Pathway.ConsentDeclinedWithin12MonthsBefore(A.History(A.ConsentDeclined(declined), referral), referral).ShouldBe(within);
    }

    [Theory]
    [InlineData("2015-02-28", true)]
    [InlineData("2015-02-27", false)]
    public void a_referral_on_29_february_looks_back_to_28_february(string declined, bool within)
    {
        var referral = A.Referral("2016-02-29");

        Pathway.ConsentDeclinedWithin12MonthsBefore(A.History(A.ConsentDeclined(declined), referral), referral).ShouldBe(within);
    }

    [Fact]
    public void a_first_referral_after_declined_consent_is_flagged_though_it_is_no_re_referral()
    {
        var facts = ChildFacts.Of("C1", A.History(A.ConsentDeclined("2016-01-08"), A.Referral("2016-04-13")));

        facts.Single(f => f.Kind == FactKind.Referral).Flags.ShouldBe(FactFlags.ConsentDeclinedWithin12MonthsBefore);
    }

    [Fact]
    public void a_retracted_consent_declined_does_not_count()
    {
        var declined = A.ConsentDeclined("2016-01-08");
        var referral = A.Referral("2016-04-13");

        Pathway.ConsentDeclinedWithin12MonthsBefore(A.History(declined, A.Retraction(declined), referral), referral).ShouldBeFalse();
    }

    [Fact]
    public void naseems_2016_referral_follows_consent_declined_on_8_january_and_taras_does_not()
    {
        var naseem = Naseem.HistoryOf(Naseem.NaseemId);
        var tara = Naseem.HistoryOf(Naseem.TaraId);

        Pathway.ConsentDeclinedWithin12MonthsBefore(naseem, naseem.All<ReferralAccepted>().Single(r => r.ReferralId == "R-N2")).ShouldBeTrue();
        Pathway.ConsentDeclinedWithin12MonthsBefore(tara, tara.All<ReferralAccepted>().Single(r => r.ReferralId == "R-T1")).ShouldBeFalse();
    }

    // ---- The comparison -----------------------------------------------------------------------------------------

    [Fact]
    public void the_sentence_gives_both_rates_with_their_counts()
    {
        var counts = new Dictionary<Measure, long>
        {
            [ConsentHypothesis.ReferralsAfterDeclined] = 40, [ConsentHypothesis.ReReferralsAfterDeclined] = 22,
            [ConsentHypothesis.ReferralsOtherwise] = 657, [ConsentHypothesis.ReReferralsOtherwise] = 241,
        };

        var result = ConsentHypothesis.Evaluate(m => counts[m]);

        result.AfterConsentDeclined.ShouldBe(new ConsentHypothesis.Group(40, 22));
        result.AfterConsentDeclined.Rate.ShouldBe(55.0);
        result.Otherwise.Rate!.Value.ShouldBe(36.68, 0.005);
        result.Sentence.ShouldBe(
            "Referrals of children who declined consent in the previous 12 months were re-referrals 55.0 % of the time (22 of 40), "
            + "against 36.7 % for other referrals (241 of 657).");
    }

    [Theory]
    [InlineData(0, 5)]
    [InlineData(5, 0)]
    [InlineData(0, 0)]
    public void with_no_referrals_on_one_side_there_is_nothing_to_compare(long after, long otherwise)
    {
        var counts = new Dictionary<Measure, long>
        {
            [ConsentHypothesis.ReferralsAfterDeclined] = after, [ConsentHypothesis.ReReferralsAfterDeclined] = 0,
            [ConsentHypothesis.ReferralsOtherwise] = otherwise, [ConsentHypothesis.ReReferralsOtherwise] = 0,
        };

        var result = ConsentHypothesis.Evaluate(m => counts[m]);

        result.Sentence.ShouldBe("Too few referrals in this window to compare.");
        (after == 0 ? result.AfterConsentDeclined.Rate : result.Otherwise.Rate).ShouldBeNull();
    }

    [Fact]
    public void naseems_family_in_april_to_june_2016_one_re_referral_after_declined_consent_one_first_referral_otherwise()
    {
        var facts = Naseem.Children.SelectMany(c => ChildFacts.Of(c, Naseem.HistoryOf(c))).ToList();

        var result = ConsentHypothesis.Evaluate(m => m.CountIn(facts, AprilToJune2016));

        result.AfterConsentDeclined.ShouldBe(new ConsentHypothesis.Group(1, 1));
        result.Otherwise.ShouldBe(new ConsentHypothesis.Group(1, 0));
        result.AfterConsentDeclined.Rate.ShouldBe(100.0);
        result.Otherwise.Rate.ShouldBe(0.0);
        result.Sentence.ShouldBe(
            "Referrals of children who declined consent in the previous 12 months were re-referrals 100.0 % of the time (1 of 1), "
            + "against 0.0 % for other referrals (0 of 1).");
    }

    [Fact]
    public void the_two_groups_split_every_referral_and_every_re_referral_of_the_window()
    {
        var facts = new[]
        {
            ChildFacts.Of("C1", A.History(A.Referral("2015-11-17"), A.ConsentDeclined("2016-01-08"), A.Referral("2016-04-13"))),
            ChildFacts.Of("C2", A.History(A.Referral("2016-01-05"), A.Referral("2016-05-05"))),
            ChildFacts.Of("C3", A.History(A.ConsentDeclined("2016-02-01"), A.Referral("2016-06-01"))),
            ChildFacts.Of("C4", A.History(A.Referral("2016-06-30"))),
        }.SelectMany(f => f).ToList();

        var result = ConsentHypothesis.Evaluate(m => m.CountIn(facts, AprilToJune2016));

        (result.AfterConsentDeclined.Referrals + result.Otherwise.Referrals)
            .ShouldBe(KpiDefinitions.Referrals.Measures.Single().CountIn(facts, AprilToJune2016));
        (result.AfterConsentDeclined.ReReferrals + result.Otherwise.ReReferrals).ShouldBe(2);
        result.AfterConsentDeclined.ShouldBe(new ConsentHypothesis.Group(2, 1));
        result.Otherwise.ShouldBe(new ConsentHypothesis.Group(2, 1));
    }
}
