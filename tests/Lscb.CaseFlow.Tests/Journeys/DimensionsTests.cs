using Lscb.CaseFlow.Journeys;
using Lscb.CaseFlow.Tests.Support;

namespace Lscb.CaseFlow.Tests.Journeys;

public class DimensionsTests
{
    [Theory]
    [InlineData("1C", "individual")]
    [InlineData("2A", "schools")]
    [InlineData("2B", "education")]
    [InlineData("3E", "health")]
    [InlineData("5D", "la-services")]
    [InlineData("6", "police")]
    [InlineData("9", "anonymous")]
    [InlineData("10", "unknown")]
    [InlineData(null, "unknown")]
    public void a_referral_source_belongs_to_its_agency(string? source, string agency)
    {
        Dimensions.AgencyOf(source).ShouldBe(agency);
        Dimensions.Agencies.Contains(agency).ShouldBeTrue();
    }

    [Fact]
    public void a_referral_with_no_source_of_its_own_takes_its_contact_s()
    {
        var contact = A.Contact("2016-04-10", "CT-7") with { ReferralSource = "6" };
        var later = A.Contact("2016-05-10", "CT-7") with { ReferralSource = "2A" };
        var referral = A.Referral("2016-04-12") with { ContactId = "CT-7", ReferralSource = null };

        Dimensions.SourceOf(A.History(later, contact, referral), referral).ShouldBe("6", "the earliest-dated contact of that id");
        Dimensions.SourceOf(A.History(referral with { ReferralSource = "3A" }), referral with { ReferralSource = "3A" }).ShouldBe("3A");
        Dimensions.SourceOf(A.History(referral with { ContactId = "CT-9" }), referral with { ContactId = "CT-9" }).ShouldBe(Dimensions.Unknown);
    }

    [Fact]
    public void a_contact_s_decision_is_its_latest_and_on_one_day_the_furthest()
    {
        var contact = A.Contact("2016-04-10");

        Dimensions.DecisionOf(A.History(contact), contact).ShouldBe(Dimensions.None);
        Dimensions.DecisionOf(A.History(contact, A.Decision("2016-04-11", "section-47"), A.Decision("2016-04-20", "early-help")), contact)
            .ShouldBe("early-help", "the latest-dated, not the furthest");
        Dimensions.DecisionOf(A.History(contact, A.Decision("2016-04-11", "assessment"), A.Decision("2016-04-11", "information-advice")), contact)
            .ShouldBe("assessment");
    }

    [Fact]
    public void a_child_s_category_is_that_of_its_latest_started_open_plan()
    {
        var history = A.History(
            A.Plan("2016-01-04", "P-1") with { Category = "EMO" },
            A.Plan("2016-05-04", "P-2") with { Category = "PHY" },
            A.PlanCeased("2016-09-01", "P-2"));

        Dimensions.CategoryAt(history, A.Day("2016-03-01")).ShouldBe("EMO");
        Dimensions.CategoryAt(history, A.Day("2016-06-01")).ShouldBe("PHY");
        Dimensions.CategoryAt(history, A.Day("2016-10-01")).ShouldBe("EMO");
        Dimensions.CategoryAt(history, A.Day("2015-10-01")).ShouldBeNull();
    }

    [Fact]
    public void an_assessment_counts_once_under_each_factor_it_names()
    {
        Dimensions.FactorsOf(A.AssessmentCompleted("2016-04-10") with { Factors = ["3A", "3A", "1B"] }).ShouldBe(["3A", "1B"]);
        Dimensions.FactorsOf(A.AssessmentCompleted("2016-04-10") with { Factors = ["21"] }).ShouldBe(["21"]);
        Dimensions.FactorsOf(A.AssessmentCompleted("2016-04-10")).ShouldBe([Dimensions.None]);
    }

    [Fact]
    public void a_looked_after_child_s_legal_status_is_that_of_its_latest_episode_that_is_not_a_short_break()
    {
        var history = A.History(A.Care("2016-01-04", "C2", "L-1"), A.Care("2016-03-04", "V3", "L-2"), A.Care("2016-05-04", null, "L-3"));

        Dimensions.LegalStatusAt(history, A.Day("2016-04-01")).ShouldBe("C2");
        Dimensions.LegalStatusAt(history, A.Day("2016-06-01")).ShouldBe(Dimensions.Unknown);
        Dimensions.LegalStatusAt(history, A.Day("2015-06-01")).ShouldBeNull();
    }
}
