using Lscb.CaseFlow.Events;
using Lscb.CaseFlow.Facts;
using Lscb.CaseFlow.Journeys;
using Lscb.CaseFlow.Kpis;
using Lscb.CaseFlow.Reporting;
using Lscb.CaseFlow.Tests.Support;

namespace Lscb.CaseFlow.Tests.Reporting;

/// <summary>
/// The window's pathway as a flow: contacts split by their furthest MASH decision (whatever its date), the rest
/// "no MASH decision yet", then the events each route leads to in the window.
/// </summary>
public class PathwayFlowTests
{
    private static readonly Window AprilToJune2016 = new(A.Day("2016-04-01"), A.Day("2016-06-30"));

    private static IReadOnlyDictionary<string, long> Flow(Window window, params (string Child, CaseEvent[] Events)[] children)
    {
        var facts = children.SelectMany(c => ChildFacts.Of(c.Child, A.History(c.Events))).ToList();
        return PathwayFlow.Count(m => m.CountIn(facts, window));
    }

    // ---- Furthest decision -----------------------------------------------------------------------------------

    [Theory]
    [InlineData(new[] { "no-further-action" }, "no-further-action")]
    [InlineData(new[] { "assessment", "no-further-action" }, "assessment")]
    [InlineData(new[] { "no-further-action", "section-47", "early-help" }, "section-47")]
    [InlineData(new[] { "information-advice", "early-help" }, "early-help")]
    public void the_furthest_decision_wins_whatever_the_order_of_the_dates(string[] decisionsByDate, string furthest)
    {
        var contact = A.Contact("2016-04-12");
        var decisions = decisionsByDate.Select((d, i) => (CaseEvent)A.Decision($"2016-04-{13 + i}", d));

        Pathway.FurthestDecision(A.History([contact, .. decisions]), contact).ShouldBe(furthest);
        Pathway.FurthestDecision(A.History([contact, .. decisions.Reverse()]), contact).ShouldBe(furthest);
    }

    [Fact]
    public void a_later_decision_of_less_intervention_does_not_undo_a_section_47()
    {
        var contact = A.Contact("2016-04-12");

        Pathway.FurthestDecision(A.History(
            contact, A.Decision("2016-04-13", "section-47"), A.Decision("2016-06-01", "no-further-action")), contact)
            .ShouldBe("section-47");
    }

    [Fact]
    public void a_decision_dated_long_after_the_contact_still_counts()
    {
        var contact = A.Contact("2016-06-30");

        Pathway.FurthestDecision(A.History(contact, A.Decision("2017-01-09", "assessment")), contact).ShouldBe("assessment");
    }

    [Fact]
    public void decisions_on_another_contact_are_not_this_ones()
    {
        var contact = A.Contact("2016-04-12", contactId: "CT-1");

        Pathway.FurthestDecision(A.History(
            contact, A.Contact("2016-04-12", contactId: "CT-2"), A.Decision("2016-04-13", "section-47", contactId: "CT-2")), contact)
            .ShouldBeNull();
    }

    [Fact]
    public void a_retracted_decision_is_no_decision()
    {
        var contact = A.Contact("2016-04-12");
        var wrong = A.Decision("2016-04-13", "section-47");

        Pathway.FurthestDecision(A.History(contact, A.Decision("2016-04-13", "early-help"), wrong, A.Retraction(wrong)), contact)
            .ShouldBe("early-help");
    }

    [Fact]
    public void a_contact_fact_carries_only_its_furthest_decision()
    {
        var facts = ChildFacts.Of("C1", A.History(
            A.Contact("2016-04-12"), A.Decision("2016-04-20", "assessment"), A.Decision("2016-04-13", "no-further-action")));

        facts.Single(f => f.Kind == FactKind.Contact).Flags.ShouldBe(FactFlags.DecidedAssessment | FactFlags.ProceededToAssessmentOrS47);
    }

    [Fact]
    public void a_contact_with_no_decision_has_no_decision_flag()
    {
        var facts = ChildFacts.Of("C1", A.History(A.Contact("2016-04-12")));

        facts.Single(f => f.Kind == FactKind.Contact).Flags.ShouldBe(FactFlags.None);
    }

    // ---- The flow ---------------------------------------------------------------------------------------------

    [Fact]
    public void contacts_split_by_their_furthest_decision_and_the_undecided_are_the_rest()
    {
        var flow = Flow(AprilToJune2016,
            ("C1", [A.Contact("2016-04-01"), A.Decision("2016-04-01", "no-further-action")]),
            ("C2", [A.Contact("2016-04-02"), A.Decision("2016-04-02", "information-advice")]),
            ("C3", [A.Contact("2016-04-03"), A.Decision("2016-04-03", "early-help")]),
            ("C4", [A.Contact("2016-04-04"), A.Decision("2016-04-04", "assessment"), A.Decision("2016-04-05", "section-47")]),
            ("C5", [A.Contact("2016-06-30"), A.Decision("2016-07-04", "assessment")]),
            ("C6", [A.Contact("2016-05-01")]),
            ("C7", [A.Contact("2016-05-02", contactId: "CT-1"), A.Contact("2016-05-03", contactId: "CT-2"),
                    A.Decision("2016-05-03", "early-help", contactId: "CT-2")]),
            ("C8", [A.Contact("2016-03-31"), A.Decision("2016-04-01", "section-47")]));

        flow["contacts"].ShouldBe(8);
        flow["decision-no-further-action"].ShouldBe(1);
        flow["decision-information-advice"].ShouldBe(1);
        flow["decision-early-help"].ShouldBe(2);
        flow["decision-assessment"].ShouldBe(1, "decided after the window");
        flow["decision-section-47"].ShouldBe(1, "the contact before the window is not counted");
        flow["decision-pending"].ShouldBe(2, "C6 and C7's first contact");
    }

    [Fact]
    public void no_mash_decision_yet_is_contacts_less_those_decided()
    {
        var counts = new Dictionary<string, long>
        {
            ["contacts"] = 840, ["decision-no-further-action"] = 120, ["decision-information-advice"] = 80,
            ["decision-early-help"] = 60, ["decision-assessment"] = 430, ["decision-section-47"] = 90,
        };
        var measures = PathwayFlow.Nodes.Where(n => n.Count is not null).ToDictionary(n => n.Count!, n => n.Id);

        var flow = PathwayFlow.Count(m => counts.GetValueOrDefault(measures[m]));

        flow["decision-pending"].ShouldBe(60);
    }

    [Fact]
    public void each_later_stage_counts_its_events_in_the_window()
    {
        var flow = Flow(AprilToJune2016,
            ("N", [A.Referral("2015-11-17"), A.EarlyHelp("2015-12-23"), A.ConsentDeclined("2016-01-08"), A.Referral("2016-04-13"),
                   A.S47("2016-04-13"), A.Conference("2016-05-04"), A.Plan("2016-05-04")]),
            ("T", [A.Referral("2016-04-13"), A.EarlyHelp("2016-04-20", "E-2"), A.ConsentDeclined("2016-05-01"),
                   A.AssessmentStarted("2016-04-14"), A.AssessmentStarted("2016-07-01", "A-2")]),
            ("L", [A.Care("2016-04-20", "C2", "L-1"), A.Care("2016-05-20", "V3", "L-2"), A.Care("2015-01-01", "C2", "L-3")]));

        flow["early-help"].ShouldBe(1);
        flow["consent-declined"].ShouldBe(1);
        flow["assessments"].ShouldBe(1);
        flow["s47"].ShouldBe(1);
        flow["icpc"].ShouldBe(1);
        flow["plans"].ShouldBe(1);
        flow["looked-after"].ShouldBe(1, "short breaks and earlier periods are left out");
        flow["re-referrals"].ShouldBe(1);
    }

    [Fact]
    public void every_node_has_a_count_and_every_link_joins_two_nodes()
    {
        var flow = Flow(AprilToJune2016);
        var ids = PathwayFlow.Nodes.Select(n => n.Id).ToList();

        ids.ShouldBeUnique();
        flow.Keys.ShouldBe(ids, ignoreOrder: true);
        flow.Values.ShouldAllBe(v => v == 0);
        PathwayFlow.Links.ShouldAllBe(l => ids.Contains(l.Source) && ids.Contains(l.Target));
        PathwayFlow.Links.Where(l => l.Source == "contacts").Select(l => l.Target)
            .ShouldBe(ids.Where(id => id.StartsWith("decision-", StringComparison.Ordinal)), ignoreOrder: true);
        PathwayFlow.Measures.Count.ShouldBe(ids.Count - 1, "every node but 'no MASH decision yet' is counted");
    }

    [Fact]
    public void naseems_family_in_april_to_june_2016()
    {
        var facts = Naseem.Children.SelectMany(c => ChildFacts.Of(c, Naseem.HistoryOf(c))).ToList();

        var flow = PathwayFlow.Count(m => m.CountIn(facts, AprilToJune2016));

        flow.Where(kv => kv.Value != 0).OrderBy(kv => kv.Key, StringComparer.Ordinal).ShouldBe(
        [
            new("contacts", 2), new("decision-section-47", 2), new("icpc", 2), new("plans", 2), new("re-referrals", 1), new("s47", 2),
        ]);
    }
}
