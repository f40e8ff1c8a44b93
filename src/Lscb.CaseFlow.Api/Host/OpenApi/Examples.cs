using Lscb.CaseFlow.Api.Features.Ingesting;
using Lscb.CaseFlow.Api.Features.Journeys;
using Lscb.CaseFlow.Api.Features.Kpis;
using Lscb.CaseFlow.Api.Features.Reference;

namespace Lscb.CaseFlow.Api.Host.OpenApi;

/// <summary>
/// An example for each fixed shape of the contract (<c>api.md</c>, <c>events.md</c>, <c>kpis.md</c>), as the contract
/// gives it; the tests check that the contract's examples validate against these schemas.
/// </summary>
public static class Examples
{
    public const string Event = """
        { "specversion": "1.0", "id": "mash-2016-000123", "source": "urn:lscb:solihull:mash",
          "type": "contact", "subject": "C7F3A9",
          "data": { "occurredOn": "2016-04-12", "contactId": "CT-2001", "referralSource": "2A", "familyId": "F-88" } }
        """;

    public const string Batch = """
        [
          { "specversion": "1.0", "id": "mash-2016-000123", "source": "urn:lscb:solihull:mash",
            "type": "contact", "subject": "C7F3A9",
            "data": { "occurredOn": "2016-04-12", "contactId": "CT-2001", "referralSource": "2A", "familyId": "F-88" } },
          { "specversion": "1.0", "id": "mash-2016-000124", "source": "urn:lscb:solihull:mash",
            "type": "mash-decision", "subject": "C7F3A9",
            "data": { "occurredOn": "2016-04-13", "contactId": "CT-2001", "decision": "section-47" } }
        ]
        """;

    public const string Accepted = """{ "accepted": 2, "duplicates": 0 }""";

    public const string Population = """{ "children": 45260 }""";

    public const string Kpis = """
        {
          "from": "2016-04-01",
          "to": "2016-06-30",
          "population": 45260,
          "kpis": {
            "contacts":           { "value": 840 },
            "referralRatePer10k": { "numerator": 697, "denominator": 45260, "value": 153.999 },
            "reReferralRate":     { "numerator": 263, "denominator": 697,   "value": 37.733 }
          }
        }
        """;

    public const string Journey = """
        {
          "childId": "NASEEM01",
          "events": [
            { "id": "ev-1", "source": "urn:lscb:solihull:mash", "type": "contact",
              "occurredOn": "2015-05-11", "recordedAt": "2026-11-25T10:00:00Z",
              "retracted": false, "data": { "contactId": "CT-1", "referrerType": "school" } }
          ],
          "status": { "onPlan": false, "lookedAfter": false }
        }
        """;

    private static readonly Dictionary<Type, string> ByType = new()
    {
        [typeof(CloudEventEnvelope)] = Event,
        [typeof(PostEvents.BatchAccepted)] = Accepted,
        [typeof(PutPopulation.PopulationEstimate)] = Population,
        [typeof(KpisResponse)] = Kpis,
        [typeof(GetJourney.JourneyResponse)] = Journey,
    };

    public static string? For(Type type) => ByType.GetValueOrDefault(type);
}
