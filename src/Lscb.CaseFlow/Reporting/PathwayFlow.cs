using Lscb.CaseFlow.Facts;
using Lscb.CaseFlow.Kpis;
using static Lscb.CaseFlow.Kpis.Measure;

namespace Lscb.CaseFlow.Reporting;

/// <summary>
/// The window's pathway as a flow for the board: contacts by their MASH decision, then the events each route
/// leads to in the window. Each node counts events dated in the window, not one cohort followed through, so a
/// later stage may hold children whose contact came before the window. Re-referrals stand beside the flow:
/// they are counted, not linked, since no single stage leads to them.
/// </summary>
public static class PathwayFlow
{
    public sealed record Node(string Id, string Label, Measure? Count);

    public sealed record Link(string Source, string Target);

    private static readonly EventsIn Contacts = new(FactKind.Contact);

    public static readonly IReadOnlyList<Node> Nodes =
    [
        new("contacts", "Contacts", Contacts),
        new("decision-no-further-action", "MASH: no further action", new EventsIn(FactKind.Contact, FactFlags.DecidedNoFurtherAction)),
        new("decision-information-advice", "MASH: information and advice", new EventsIn(FactKind.Contact, FactFlags.DecidedInformationAdvice)),
        new("decision-early-help", "MASH: early help", new EventsIn(FactKind.Contact, FactFlags.DecidedEarlyHelp)),
        new("decision-assessment", "MASH: assessment", new EventsIn(FactKind.Contact, FactFlags.DecidedAssessment)),
        new("decision-section-47", "MASH: section 47", new EventsIn(FactKind.Contact, FactFlags.DecidedSection47)),
        new("decision-pending", "No MASH decision yet", null),
        new("early-help", "Early help referrals", new EventsIn(FactKind.EarlyHelpReferral)),
        new("consent-declined", "Consent declined", new EventsIn(FactKind.ConsentDeclined)),
        new("assessments", "Assessments started", new EventsIn(FactKind.AssessmentStarted)),
        new("s47", "S47 enquiries", new EventsIn(FactKind.S47Started)),
        new("icpc", "Initial conferences", new EventsIn(FactKind.InitialConference)),
        new("plans", "Plans started", new EventsIn(FactKind.PlanStarted)),
        new("looked-after", "Became looked after", new EventsIn(FactKind.CareEpisode, Lacking: FactFlags.ShortBreak)),
        new("re-referrals", "Re-referrals", new EventsIn(FactKind.Referral, FactFlags.ReReferral)),
    ];

    public static readonly IReadOnlyList<Link> Links =
    [
        new("contacts", "decision-no-further-action"),
        new("contacts", "decision-information-advice"),
        new("contacts", "decision-early-help"),
        new("contacts", "decision-assessment"),
        new("contacts", "decision-section-47"),
        new("contacts", "decision-pending"),
        new("decision-early-help", "early-help"),
        new("early-help", "consent-declined"),
        new("decision-assessment", "assessments"),
        new("decision-section-47", "s47"),
        new("s47", "icpc"),
        new("icpc", "plans"),
        new("plans", "looked-after"),
    ];

    public static IReadOnlyList<Measure> Measures { get; } = Nodes.Select(n => n.Count).OfType<Measure>().ToList();

    /// <summary>Each node's count: contacts not yet decided are the contacts less the decided ones.</summary>
    public static IReadOnlyDictionary<string, long> Count(Func<Measure, long> count)
    {
        var values = Nodes.Where(n => n.Count is not null).ToDictionary(n => n.Id, n => count(n.Count!));
        values["decision-pending"] = values["contacts"] - Nodes
            .Where(n => n.Id.StartsWith("decision-", StringComparison.Ordinal) && n.Count is not null)
            .Sum(n => values[n.Id]);
        return values;
    }
}
