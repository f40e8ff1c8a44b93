using Lscb.CaseFlow.Journeys;
using Lscb.CaseFlow.Tests.Support;

namespace Lscb.CaseFlow.Tests.Journeys;

public class ReReferralTests
{
    [Fact]
    public void first_referral_is_not_a_re_referral()
    {
        var referral = A.Referral("2016-04-13");

        Pathway.IsReReferral(A.History(referral), referral).ShouldBeFalse();
        Pathway.PreviousReferral(A.History(referral), referral).ShouldBeNull();
    }

    [Fact]
    public void referral_within_12_months_is_a_re_referral()
    {
        var previous = A.Referral("2015-11-17");
        var referral = A.Referral("2016-04-13");
        var history = A.History(previous, referral);

        Pathway.IsReReferral(history, referral).ShouldBeTrue();
        Pathway.IsReReferral(history, previous).ShouldBeFalse();
    }

    [Fact]
    public void referral_exactly_12_months_after_the_previous_is_a_re_referral()
    {
        var referral = A.Referral("2016-04-13");

        Pathway.IsReReferral(A.History(A.Referral("2015-04-13"), referral), referral).ShouldBeTrue();
    }

    [Fact]
    public void referral_12_months_and_a_day_after_the_previous_is_not_a_re_referral()
    {
        var referral = A.Referral("2016-04-13");

        Pathway.IsReReferral(A.History(A.Referral("2015-04-12"), referral), referral).ShouldBeFalse();
    }

    [Fact]
    public void re_referral_on_29_february_looks_back_to_28_february()
    {
        var referral = A.Referral("2016-02-29");

        Pathway.IsReReferral(A.History(A.Referral("2015-02-28"), referral), referral).ShouldBeTrue();
        Pathway.IsReReferral(A.History(A.Referral("2015-02-27"), referral), referral).ShouldBeFalse();
    }

    [Fact]
    public void referral_on_the_same_day_as_another_is_not_a_re_referral()
    {
        var one = A.Referral("2016-04-13", referralId: "R-1");
        var other = A.Referral("2016-04-13", referralId: "R-2");
        var history = A.History(one, other);

        Pathway.IsReReferral(history, one).ShouldBeFalse();
        Pathway.IsReReferral(history, other).ShouldBeFalse();
    }

    [Fact]
    public void re_referral_looks_back_to_the_latest_earlier_referral()
    {
        var old = A.Referral("2014-01-10");
        var previous = A.Referral("2015-11-17");
        var referral = A.Referral("2016-04-13");
        var later = A.Referral("2016-06-01");

        Pathway.PreviousReferral(A.History(later, referral, old, previous), referral).ShouldBeSameAs(previous);
    }

    [Fact]
    public void retracted_previous_referral_does_not_make_a_re_referral()
    {
        var previous = A.Referral("2015-11-17");
        var referral = A.Referral("2016-04-13");

        Pathway.IsReReferral(A.History(previous, referral, A.Retraction(previous)), referral).ShouldBeFalse();
    }

    [Fact]
    public void consent_declined_between_the_previous_referral_and_a_re_referral_is_found()
    {
        var declined = A.ConsentDeclined("2016-01-08");
        var referral = A.Referral("2016-04-13");
        var history = A.History(A.Referral("2015-11-17"), declined, referral);

        Pathway.ConsentDeclinedBeforeReReferral(history, referral).ShouldBeSameAs(declined);
    }

    [Fact]
    public void consent_declined_on_the_day_of_the_previous_referral_counts()
    {
        var declined = A.ConsentDeclined("2015-11-17");
        var referral = A.Referral("2016-04-13");
        var history = A.History(A.Referral("2015-11-17"), declined, referral);

        Pathway.ConsentDeclinedBeforeReReferral(history, referral).ShouldBeSameAs(declined);
    }

    [Fact]
    public void consent_declined_on_the_day_of_the_re_referral_does_not_count()
    {
        var referral = A.Referral("2016-04-13");
        var history = A.History(A.Referral("2015-11-17"), A.ConsentDeclined("2016-04-13"), referral);

        Pathway.ConsentDeclinedBeforeReReferral(history, referral).ShouldBeNull();
    }

    [Fact]
    public void consent_declined_before_the_previous_referral_does_not_count()
    {
        var referral = A.Referral("2016-04-13");
        var history = A.History(A.ConsentDeclined("2015-06-02"), A.Referral("2015-11-17"), referral);

        Pathway.ConsentDeclinedBeforeReReferral(history, referral).ShouldBeNull();
    }

    [Fact]
    public void consent_declined_before_a_referral_that_is_not_a_re_referral_does_not_count()
    {
        var referral = A.Referral("2016-04-13");
        var history = A.History(A.Referral("2015-01-05"), A.ConsentDeclined("2016-01-08"), referral);

        Pathway.ConsentDeclinedBeforeReReferral(history, referral).ShouldBeNull();
    }
}
