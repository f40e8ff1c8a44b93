using Lscb.CaseFlow.Journeys;
using Lscb.CaseFlow.Tests.Support;

namespace Lscb.CaseFlow.Tests.Journeys;

/// <summary>Whether a contact went on to an assessment or S47, and whether an S47 went on to a conference.</summary>
public class ConversionTests
{
    [Theory]
    [InlineData("assessment")]
    [InlineData("section-47")]
    public void contact_with_a_decision_of_assessment_or_s47_proceeded(string decision)
    {
        var contact = A.Contact("2016-04-12");

        Pathway.ProceededToAssessmentOrS47(A.History(contact, A.Decision("2016-04-13", decision)), contact).ShouldBeTrue();
    }

    [Theory]
    [InlineData("no-further-action")]
    [InlineData("information-advice")]
    [InlineData("early-help")]
    public void contact_with_any_other_decision_did_not_proceed(string decision)
    {
        var contact = A.Contact("2016-04-12");

        Pathway.ProceededToAssessmentOrS47(A.History(contact, A.Decision("2016-04-13", decision)), contact).ShouldBeFalse();
    }

    [Fact]
    public void contact_without_a_decision_did_not_proceed()
    {
        var contact = A.Contact("2016-04-12");

        Pathway.ProceededToAssessmentOrS47(A.History(contact), contact).ShouldBeFalse();
    }

    [Fact]
    public void decision_on_another_contact_does_not_count()
    {
        var contact = A.Contact("2016-04-12", contactId: "CT-1");
        var history = A.History(contact, A.Decision("2016-04-13", "section-47", contactId: "CT-2"));

        Pathway.ProceededToAssessmentOrS47(history, contact).ShouldBeFalse();
    }

    [Fact]
    public void contact_proceeded_when_any_of_its_decisions_was_assessment_whatever_its_date()
    {
        var contact = A.Contact("2016-03-30");
        var history = A.History(contact, A.Decision("2016-03-31", "early-help"), A.Decision("2016-07-20", "assessment"));

        Pathway.ProceededToAssessmentOrS47(history, contact).ShouldBeTrue();
    }

    [Fact]
    public void retracted_decision_does_not_make_a_contact_proceed()
    {
        var contact = A.Contact("2016-04-12");
        var decision = A.Decision("2016-04-13", "section-47");

        Pathway.ProceededToAssessmentOrS47(A.History(contact, decision, A.Retraction(decision)), contact).ShouldBeFalse();
    }

    [Fact]
    public void s47_named_by_a_conference_led_to_a_conference_whatever_its_date()
    {
        var s47 = A.S47("2016-03-20", s47Id: "S-1");

        Pathway.LedToInitialConference(A.History(s47, A.Conference("2016-05-04", s47Id: "S-1")), s47).ShouldBeTrue();
    }

    [Fact]
    public void conference_naming_another_s47_does_not_count()
    {
        var s47 = A.S47("2016-04-13", s47Id: "S-1");

        Pathway.LedToInitialConference(A.History(s47, A.Conference("2016-05-04", s47Id: "S-2")), s47).ShouldBeFalse();
    }

    [Fact]
    public void conference_naming_no_s47_does_not_count()
    {
        var s47 = A.S47("2016-04-13");

        Pathway.LedToInitialConference(A.History(s47, A.Conference("2016-05-04", s47Id: null)), s47).ShouldBeFalse();
    }

    [Fact]
    public void retracted_conference_does_not_count()
    {
        var s47 = A.S47("2016-04-13");
        var conference = A.Conference("2016-05-04");

        Pathway.LedToInitialConference(A.History(s47, conference, A.Retraction(conference)), s47).ShouldBeFalse();
    }
}
