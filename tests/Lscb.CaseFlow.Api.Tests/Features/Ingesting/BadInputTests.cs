using System.Net;
using System.Text.Json.Nodes;
using Lscb.CaseFlow.Api.Tests.Infrastructure;

namespace Lscb.CaseFlow.Api.Tests.Features.Ingesting;

/// <summary>Every row of the bad-input table of events.md: a clear answer, and nothing of the batch stored.</summary>
public sealed class BadInputTests(CaseFlowApp app) : IClassFixture<CaseFlowApp>
{
    [Theory]
    [InlineData("this is not json")]
    [InlineData("{\"specversion\": \"1.0\",")]
    [InlineData("42")]
    [InlineData("\"a string\"")]
    [InlineData("null")]
    [InlineData("[]")]
    public async Task a_body_that_is_not_a_batch_is_refused_with_problem_details(string body)
    {
        using var response = await app.PostRawAsync(body);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await CaseFlowApp.ProblemOf(response))["status"]!.GetValue<int>().ShouldBe(400);
    }

    public static TheoryData<string, Func<JsonObject, JsonObject>, string> BrokenRules => new()
    {
        { "missing type", e => Without(e, "type"), "type" },
        { "unknown type", e => With(e, "type", "home-visit"), "type" },
        { "subject with a space", e => With(e, "subject", "Naseem Khan"), "subject" },
        { "subject too long", e => With(e, "subject", new string('A', 65)), "subject" },
        { "missing subject", e => Without(e, "subject"), "subject" },
        { "missing id", e => Without(e, "id"), "id" },
        { "id too long", e => With(e, "id", new string('x', 129)), "id" },
        { "missing source", e => Without(e, "source"), "source" },
        { "wrong specversion", e => With(e, "specversion", "0.3"), "specversion" },
        { "time that is not RFC 3339", e => With(e, "time", "yesterday"), "time" },
        { "missing data", e => Without(e, "data"), "data" },
        { "an envelope field the contract lacks", e => With(e, "childName", "Naseem"), "childName" },
        { "a data field its type lacks", e => WithData(e, "dateOfBirth", "2007-03-01"), "data.dateOfBirth" },
        { "a missing required data field", e => WithoutData(e, "referralSource"), "data.referralSource" },
        { "a bad code", e => WithData(e, "referralSource", "2Z"), "data.referralSource" },
        { "an id that is a number", e => WithData(e, "contactId", 17), "data.contactId" },
        { "a missing occurredOn", e => WithoutData(e, "occurredOn"), "data.occurredOn" },
        { "occurredOn not a real date", e => WithData(e, "occurredOn", "2016-02-30"), "data.occurredOn" },
        { "occurredOn in another format", e => WithData(e, "occurredOn", "12/04/2016"), "data.occurredOn" },
        { "occurredOn before 1990", e => WithData(e, "occurredOn", "1989-12-31"), "data.occurredOn" },
        { "occurredOn after today", e => WithData(e, "occurredOn", "2026-11-27"), "data.occurredOn" },
    };

    [Theory]
    [MemberData(nameof(BrokenRules))]
    public async Task an_event_breaking_a_rule_refuses_the_whole_batch_naming_index_id_and_field(
        string rule, Func<JsonObject, JsonObject> breakIt, string field)
    {
        var child = Ce.Subject();
        var good = Ce.Contact(child, "2016-04-12", "CT-1");
        var bad = breakIt(Ce.Contact(child, "2016-04-13", "CT-2"));

        using var response = await app.PostEventsAsync(Ce.Batch(good, bad));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, rule);
        var refused = (await CaseFlowApp.ProblemOf(response))["events"]!.AsArray().ShouldHaveSingleItem()!;
        refused["index"]!.GetValue<int>().ShouldBe(1);
        refused["id"]?.GetValue<string>().ShouldBe(bad["id"]?.GetValue<string>());
        var errors = refused["errors"]!.AsArray();
        errors.ShouldContain(e => e!["field"]!.GetValue<string>() == field, rule);
        errors.ShouldAllBe(e => e!["message"]!.GetValue<string>().Contains(e["field"]!.GetValue<string>()));
        (await app.StoredEventCountAsync(child)).ShouldBe(0);
    }

    [Fact]
    public async Task each_broken_rule_gets_its_own_message()
    {
        var bad = Ce.Contact(Ce.Subject(), "2016-04-13", "CT-1");
        bad["data"]!["referralSource"] = "99";
        bad["data"]!["address"] = "1 High Street";
        bad["data"]!["occurredOn"] = "2016-13-01";

        using var response = await app.PostEventsAsync(Ce.Batch(bad));

        var errors = (await CaseFlowApp.ProblemOf(response))["events"]![0]!["errors"]!.AsArray()
            .Select(e => e!["field"]!.GetValue<string>()).ToList();
        errors.ShouldBe(["data.address", "data.occurredOn", "data.referralSource"], ignoreOrder: true);
    }

    [Fact]
    public async Task assessment_factor_21_must_stand_alone()
    {
        var child = Ce.Subject();
        var bad = Ce.Event("assessment-completed", child, "2016-04-13", ("assessmentId", "A-1"), ("factors", new JsonArray("21", "3A")));

        using var response = await app.PostEventsAsync(Ce.Batch(bad));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await app.StoredEventCountAsync(child)).ShouldBe(0);
    }

    [Fact]
    public async Task a_batch_of_more_than_5000_events_is_too_large()
    {
        var child = Ce.Subject();
        var events = Enumerable.Range(0, 5001).Select(i => (JsonNode)Ce.Contact(child, "2016-04-12", $"CT-{i}")).ToArray();

        using var response = await app.PostEventsAsync(Ce.Batch(events));

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        (await app.StoredEventCountAsync(child)).ShouldBe(0);
    }

    [Fact]
    public async Task a_body_over_10_mb_is_too_large()
    {
        var padding = new string(' ', 10 * 1024 * 1024);
        using var response = await app.PostRawAsync("[" + padding + "]");

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task a_body_that_is_not_json_by_content_type_is_unsupported()
    {
        using var response = await app.PostRawAsync("<events/>", "application/xml");

        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task a_retraction_naming_no_event_of_its_source_and_subject_is_refused()
    {
        var child = Ce.Subject();
        var other = Ce.Subject();
        var contact = Ce.Contact(other, "2016-04-12", "CT-1");
        await app.IngestAsync(Ce.Batch(contact));

        var retractOtherChildsEvent = Ce.Retraction(child, "2016-04-13", contact["id"]!.GetValue<string>());
        var retractNothing = Ce.Retraction(child, "2016-04-13", "no-such-event");
        using var response = await app.PostEventsAsync(Ce.Batch(Ce.Contact(child, "2016-04-12", "CT-2"), retractOtherChildsEvent, retractNothing));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var refused = (await CaseFlowApp.ProblemOf(response))["events"]!.AsArray();
        refused.Select(r => r!["index"]!.GetValue<int>()).ShouldBe([1, 2]);
        refused.ShouldAllBe(r => r!["errors"]![0]!["field"]!.GetValue<string>() == "data.retractedId");
        (await app.StoredEventCountAsync(child)).ShouldBe(0);
    }

    private static JsonObject Without(JsonObject e, string field)
    {
        e.Remove(field);
        return e;
    }

    private static JsonObject With(JsonObject e, string field, JsonNode value)
    {
        e[field] = value;
        return e;
    }

    private static JsonObject WithData(JsonObject e, string field, JsonNode value)
    {
        e["data"]![field] = value;
        return e;
    }

    private static JsonObject WithoutData(JsonObject e, string field)
    {
        e["data"]!.AsObject().Remove(field);
        return e;
    }
}
