using System.Net;
using System.Text.Json.Nodes;
using Lscb.CaseFlow.Api.Tests.Infrastructure;

namespace Lscb.CaseFlow.Api.Tests.Features.Journeys;

/// <summary>An auditor replays one child's pathway: "Naseem's journey".</summary>
public sealed class JourneyTests(CaseFlowApp app) : IClassFixture<CaseFlowApp>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        if (await app.StoredEventCountAsync("NASEEM01") == 0)
        {
            await app.IngestAsync(Ce.Naseem());
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task naseems_journey_holds_every_event_in_date_order_with_the_retracted_contact_marked()
    {
        var journey = await app.GetJsonAsync("/api/children/NASEEM01/journey");

        var events = journey["events"]!.AsArray();
        events.Count.ShouldBe(Ce.Naseem().Count(e => e!["subject"]!.GetValue<string>() == "NASEEM01"));
        var dates = events.Select(e => e!["occurredOn"]!.GetValue<string>()).ToList();
        dates.ShouldBe(dates.Order(StringComparer.Ordinal).ToList());
        Event(journey, "naseem-028")["retracted"]!.GetValue<bool>().ShouldBeTrue();
        Event(journey, "naseem-001")["retracted"]!.GetValue<bool>().ShouldBeFalse();
        Event(journey, "naseem-001")["data"]!.ToJsonString().ShouldBe("""{"contactId":"CT-N1","referralSource":"2A","familyId":"F-NK"}""");
        Event(journey, "naseem-001")["recordedAt"].ShouldNotBeNull();
        journey["status"]!["onPlan"]!.GetValue<bool>().ShouldBeTrue();
        journey["status"]!["lookedAfter"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Fact]
    public async Task naseems_second_referral_is_a_re_referral_after_declined_consent()
    {
        var journey = await app.GetJsonAsync("/api/children/NASEEM01/journey");

        Codes(Event(journey, "naseem-014")).ShouldBe(["re-referral-within-12-months", "consent-declined-before-re-referral"]);
        Codes(Event(journey, "naseem-007")).ShouldBeEmpty();
    }

    [Fact]
    public async Task naseems_plans_show_18_months_open_and_the_repeat_within_2_years()
    {
        var journey = await app.GetJsonAsync("/api/children/NASEEM01/journey");

        var firstPlan = Event(journey, "naseem-019");
        Codes(firstPlan).ShouldContain("plan-open-18-months");
        firstPlan["annotations"]!.AsArray().ShouldContain(a => a!["text"]!.GetValue<string>().Contains("2017-11-04"));
        Codes(Event(journey, "naseem-038")).ShouldBe(["second-or-subsequent-plan", "repeat-plan-within-2-years", "plan-open-18-months"]);
    }

    [Fact]
    public async Task as_of_a_date_the_journey_leaves_out_what_happened_after_it()
    {
        var journey = await app.GetJsonAsync("/api/children/NASEEM01/journey?asOf=2016-05-04");

        journey["events"]!.AsArray().ShouldAllBe(e => string.CompareOrdinal(e!["occurredOn"]!.GetValue<string>(), "2016-05-04") <= 0);
        journey["events"]!.AsArray().Last()!["id"]!.GetValue<string>().ShouldBe("naseem-019");
        journey["status"]!["onPlan"]!.GetValue<bool>().ShouldBeTrue();
        Codes(Event(journey, "naseem-019")).ShouldNotContain("plan-open-18-months");

        var before = await app.GetJsonAsync("/api/children/NASEEM01/journey?asOf=2016-05-03");
        before["status"]!["onPlan"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Fact]
    public async Task tara_became_looked_after_when_her_plan_ceased()
    {
        var journey = await app.GetJsonAsync("/api/children/TARA01/journey");

        journey["status"]!["lookedAfter"]!.GetValue<bool>().ShouldBeTrue();
        journey["status"]!["onPlan"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Fact]
    public async Task a_child_with_no_events_is_not_found()
    {
        using var response = await app.Client.GetAsync("/api/children/NOBODY/journey");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task a_malformed_as_of_date_is_refused()
    {
        using var response = await app.Client.GetAsync("/api/children/NASEEM01/journey?asOf=2016-02-30");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task the_journey_is_the_same_whatever_order_and_batching_the_events_arrived_in()
    {
        var original = Ce.Naseem().Where(e => e!["subject"]!.GetValue<string>() == "NASEEM01").ToList();
        var journeys = new List<JsonNode>();
        foreach (var seed in new[] { 1, 2 })
        {
            var child = Ce.Subject("SHUF");
            var random = new Random(seed);
            var renamed = original.Select(e =>
            {
                var copy = (JsonObject)e!.DeepClone();
                copy["subject"] = child;
                copy["id"] = $"{child}-{copy["id"]}";
                if (copy["type"]!.GetValue<string>() == "retraction")
                {
                    copy["data"]!["retractedId"] = $"{child}-{copy["data"]!["retractedId"]}";
                }

                return copy;
            }).ToList();

            // Any order, except that a retraction comes after the event it names (as the contract requires).
            var retraction = renamed.Single(e => e["type"]!.GetValue<string>() == "retraction");
            var shuffled = renamed.Except([retraction]).OrderBy(_ => random.Next()).ToList();
            shuffled.Add(retraction);
            foreach (var batch in shuffled.Chunk(random.Next(1, 8)))
            {
                await app.IngestAsync(Ce.Batch(batch));
            }

            journeys.Add(await app.GetJsonAsync($"/api/children/{child}/journey"));
        }

        // Same-day events keep the order they were stored in (api.md), so compare each date's events as a set.
        Readable(journeys[0]).ShouldBe(Readable(journeys[1]));
        journeys[0]["status"]!.ToJsonString().ShouldBe(journeys[1]["status"]!.ToJsonString());
        Readable(journeys[0]).ShouldContain(e => e.Contains("re-referral-within-12-months"));
    }

    private static List<string> Readable(JsonNode journey) => journey["events"]!.AsArray()
        .Select(e => string.Join('|', e!["occurredOn"], e["type"], e["id"]!.GetValue<string>().Split('-', 2)[1],
            e["retracted"], string.Join(',', Codes(e))))
        .Order(StringComparer.Ordinal).ToList();

    private static JsonNode Event(JsonNode journey, string id) =>
        journey["events"]!.AsArray().Single(e => e!["id"]!.GetValue<string>() == id)!;

    private static List<string> Codes(JsonNode e) =>
        e["annotations"]!.AsArray().Select(a => a!["code"]!.GetValue<string>()).ToList();
}
