using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CloudNative.CloudEvents;
using Lscb.CaseFlow.Api.Tests.Infrastructure;

namespace Lscb.CaseFlow.Api.Tests.Features.Ingesting;

/// <summary>
/// Every content mode of events.md, with the official C# SDK as the producer: its events are stored as they come, and
/// idempotency, all-or-nothing and the bad-input table hold in each mode.
/// </summary>
public sealed class ContentModeTests(CaseFlowApp app) : IClassFixture<CaseFlowApp>
{
    private const string TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    public static TheoryData<string> SdkModes => new() { "binary", "structured", "batched" };

    public static TheoryData<Mode> AllModes => new() { Mode.Batched, Mode.Structured, Mode.Json, Mode.Binary };

    private static HttpContent Encode(string mode, params CloudEvent[] events) => mode switch
    {
        "binary" => CsharpSdk.Binary(events.Single()),
        "structured" => CsharpSdk.Structured(events.Single()),
        _ => CsharpSdk.Batch(events),
    };

    [Fact]
    public async Task binary_mode_event_from_the_csharp_sdk_is_stored()
    {
        var child = Ce.Subject();
        using var content = CsharpSdk.Binary(CsharpSdk.From(Ce.Contact(child, "2016-04-12", "CT-1")));
        content.Headers.Contains("ce-id").ShouldBeTrue();

        using var response = await app.PostAsync(content);

        await AcceptedAsync(response, 1, 0);
        (await app.StoredEventCountAsync(child)).ShouldBe(1);
    }

    [Fact]
    public async Task structured_mode_event_from_the_csharp_sdk_is_stored()
    {
        var child = Ce.Subject();
        using var content = CsharpSdk.Structured(CsharpSdk.From(Ce.Contact(child, "2016-04-12", "CT-1")));
        content.Headers.ContentType!.MediaType.ShouldBe("application/cloudevents+json");

        using var response = await app.PostAsync(content);

        await AcceptedAsync(response, 1, 0);
        (await app.StoredEventCountAsync(child)).ShouldBe(1);
    }

    [Fact]
    public async Task a_batch_of_one_from_the_csharp_sdk_is_stored()
    {
        var child = Ce.Subject();
        using var content = CsharpSdk.Batch(CsharpSdk.From(Ce.Contact(child, "2016-04-12", "CT-1")));
        content.Headers.ContentType!.MediaType.ShouldBe("application/cloudevents-batch+json");

        using var response = await app.PostAsync(content);

        await AcceptedAsync(response, 1, 0);
        (await app.StoredEventCountAsync(child)).ShouldBe(1);
    }

    [Fact]
    public async Task a_batch_of_many_from_the_csharp_sdk_is_stored()
    {
        var child = Ce.Subject();
        var events = Enumerable.Range(0, 50).Select(i => CsharpSdk.From(Ce.Contact(child, "2016-04-12", $"CT-{i}"))).ToArray();

        using var response = await app.PostAsync(CsharpSdk.Batch(events));

        await AcceptedAsync(response, 50, 0);
        (await app.StoredEventCountAsync(child)).ShouldBe(50);
    }

    [Theory]
    [MemberData(nameof(SdkModes))]
    public async Task the_sdk_event_with_datacontenttype_dataschema_and_trace_context_is_stored(string mode)
    {
        var child = Ce.Subject();
        var e = CsharpSdk.From(Ce.Contact(child, "2016-04-12", "CT-1"));
        e.DataContentType = "application/json; charset=utf-8";
        e.DataSchema = new Uri("https://schemas.council.test/caseflow/contact/v1");
        e["traceparent"] = TraceParent;
        e["tracestate"] = "council=00f067aa0ba902b7";

        using var response = await app.PostAsync(Encode(mode, e));

        await AcceptedAsync(response, 1, 0);
        (await app.StoredEventCountAsync(child)).ShouldBe(1);
    }

    [Fact]
    public async Task the_same_event_sent_in_every_mode_is_stored_once_and_counted_as_duplicates()
    {
        var child = Ce.Subject();
        var contact = CsharpSdk.From(Ce.Contact(child, "2016-04-12", "CT-1"));

        using (var first = await app.PostAsync(CsharpSdk.Binary(contact)))
        {
            await AcceptedAsync(first, 1, 0);
        }

        using (var again = await app.PostAsync(CsharpSdk.Structured(contact)))
        {
            await AcceptedAsync(again, 0, 1);
        }

        var fresh = CsharpSdk.From(Ce.Referral(child, "2016-04-13", "R-1"));
        using (var batch = await app.PostAsync(CsharpSdk.Batch(contact, fresh, fresh)))
        {
            await AcceptedAsync(batch, 1, 2);
        }

        (await app.StoredEventCountAsync(child)).ShouldBe(2);
    }

    [Theory]
    [MemberData(nameof(SdkModes))]
    public async Task a_reused_id_with_other_content_is_a_conflict_in_every_mode(string mode)
    {
        var child = Ce.Subject();
        var contact = Ce.Contact(child, "2016-04-12", "CT-1");
        await app.IngestAsync(Ce.Batch(contact));

        var changed = (JsonObject)contact.DeepClone();
        changed["data"]!["referralSource"] = "6";
        using var response = await app.PostAsync(Encode(mode, CsharpSdk.From(changed)));

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var problem = await CaseFlowApp.ProblemOf(response);
        problem["events"]!.AsArray().ShouldHaveSingleItem()!["id"]!.GetValue<string>().ShouldBe(contact["id"]!.GetValue<string>());
        (await app.StoredEventCountAsync(child)).ShouldBe(1);
    }

    [Fact]
    public async Task a_conflict_in_an_sdk_batch_stores_nothing_of_it()
    {
        var child = Ce.Subject();
        var contact = Ce.Contact(child, "2016-04-12", "CT-1");
        await app.IngestAsync(Ce.Batch(contact));

        var changed = (JsonObject)contact.DeepClone();
        changed["data"]!["referralSource"] = "6";
        using var response = await app.PostAsync(CsharpSdk.Batch(CsharpSdk.From(Ce.Referral(child, "2016-04-13", "R-1")), CsharpSdk.From(changed)));

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await app.StoredEventCountAsync(child)).ShouldBe(1);
    }

    [Theory]
    [MemberData(nameof(SdkModes))]
    public async Task an_extension_attribute_from_the_sdk_is_refused_naming_it_and_nothing_is_stored(string mode)
    {
        var child = Ce.Subject();
        var good = CsharpSdk.From(Ce.Contact(child, "2016-04-12", "CT-1"));
        var bad = CsharpSdk.From(Ce.Contact(child, "2016-04-13", "CT-2"));
        bad["childname"] = "Naseem";
        var events = mode == "batched" ? new[] { good, bad } : [bad];

        using var response = await app.PostAsync(Encode(mode, events));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var refused = (await CaseFlowApp.ProblemOf(response))["events"]!.AsArray().ShouldHaveSingleItem()!;
        refused["index"]!.GetValue<int>().ShouldBe(events.Length - 1);
        refused["errors"]!.AsArray().ShouldContain(e => e!["field"]!.GetValue<string>() == "childname");
        (await app.StoredEventCountAsync(child)).ShouldBe(0);
    }

    [Theory]
    [MemberData(nameof(SdkModes))]
    public async Task a_datacontenttype_that_is_not_json_is_refused(string mode)
    {
        var child = Ce.Subject();
        var e = CsharpSdk.From(Ce.Contact(child, "2016-04-12", "CT-1"));
        e.DataContentType = "text/plain";
        e.Data = "{\"occurredOn\":\"2016-04-12\",\"contactId\":\"CT-1\",\"referralSource\":\"2A\"}";

        using var response = await app.PostAsync(Encode(mode, e));

        // In binary mode the data's type is the body's Content-Type, which this endpoint does not read.
        if (mode == "binary")
        {
            response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        }
        else
        {
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await CaseFlowApp.ProblemOf(response))["events"]![0]!["errors"]!.AsArray()
                .ShouldContain(x => x!["field"]!.GetValue<string>() == "datacontenttype");
        }

        (await app.StoredEventCountAsync(child)).ShouldBe(0);
    }

    [Theory]
    [InlineData("traceparent", "not-a-trace")]
    [InlineData("traceparent", "00-00000000000000000000000000000000-b7ad6b7169203331-01")]
    [InlineData("dataschema", "not a uri")]
    [InlineData("datacontenttype", "application/xml")]
    public async Task a_malformed_optional_attribute_is_refused_naming_it_in_every_mode(string attribute, string value)
    {
        foreach (var mode in AllModes)
        {
            var child = Ce.Subject();
            var e = Ce.Contact(child, "2016-04-12", "CT-1");
            e[attribute] = value;

            using var response = await app.Client.PostAsync("/api/events", RawModes.Content(mode, e));

            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, $"{mode}");
            (await CaseFlowApp.ProblemOf(response))["events"]![0]!["errors"]!.AsArray()
                .ShouldContain(x => x!["field"]!.GetValue<string>() == attribute, $"{mode}");
            (await app.StoredEventCountAsync(child)).ShouldBe(0);
        }
    }

    [Theory]
    [MemberData(nameof(AllModes))]
    public async Task media_type_parameters_and_case_are_accepted(Mode mode)
    {
        var child = Ce.Subject();
        using var content = RawModes.Content(mode, Ce.Contact(child, "2016-04-12", "CT-1"));
        var type = content.Headers.ContentType!.MediaType!.ToUpperInvariant();
        content.Headers.Remove("Content-Type");
        content.Headers.TryAddWithoutValidation("Content-Type", $"{type} ; Charset=\"utf-8\"");

        using var response = await app.Client.PostAsync("/api/events", content);

        await AcceptedAsync(response, 1, 0);
    }

    [Fact]
    public async Task a_structured_body_must_be_one_event_and_a_batched_body_an_array()
    {
        var child = Ce.Subject();
        var contact = Ce.Contact(child, "2016-04-12", "CT-1");

        using var array = await app.PostRawAsync(Ce.Batch(contact).ToJsonString(), "application/cloudevents+json");
        using var single = await app.PostRawAsync(contact.ToJsonString(), "application/cloudevents-batch+json");

        array.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        single.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await app.StoredEventCountAsync(child)).ShouldBe(0);
    }

    [Fact]
    public async Task a_binary_attribute_header_sent_twice_is_refused()
    {
        var child = Ce.Subject();
        using var content = RawModes.Content(Mode.Binary, Ce.Contact(child, "2016-04-12", "CT-1"));
        content.Headers.TryAddWithoutValidation("ce-subject", "C2");

        using var response = await app.Client.PostAsync("/api/events", content);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await app.StoredEventCountAsync(child)).ShouldBe(0);
    }

    [Fact]
    public async Task a_binary_mode_body_that_is_not_json_is_refused()
    {
        foreach (var (body, type) in new[] { ("this is not json", "application/json"), ("", "application/json"), ("<data/>", "application/xml") })
        {
            using var content = RawModes.Content(Mode.Binary, Ce.Contact(Ce.Subject(), "2016-04-12", "CT-1"));
            using var replaced = new StringContent(body, Encoding.UTF8);
            replaced.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
            foreach (var header in content.Headers.Where(h => h.Key.StartsWith("ce-", StringComparison.Ordinal)))
            {
                replaced.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            using var response = await app.Client.PostAsync("/api/events", replaced);

            response.StatusCode.ShouldBe(type == "application/json" ? HttpStatusCode.BadRequest : HttpStatusCode.UnsupportedMediaType, body);
        }
    }

    [Theory]
    [MemberData(nameof(AllModes))]
    public async Task a_body_over_10_mb_is_too_large_in_every_mode(Mode mode)
    {
        var e = Ce.Contact(Ce.Subject(), "2016-04-12", "CT-1");
        e["data"]!["padding"] = new string('x', 10 * 1024 * 1024);

        using var response = await app.Client.PostAsync("/api/events", RawModes.Content(mode, e));

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
    }

    public static TheoryData<Mode, string, Func<JsonObject, JsonObject>, string> BrokenRulesInEveryMode()
    {
        var data = new TheoryData<Mode, string, Func<JsonObject, JsonObject>, string>();
        foreach (var mode in new[] { Mode.Structured, Mode.Json, Mode.Binary })
        {
            foreach (var row in BadInputTests.BrokenRules)
            {
                var (rule, breakIt, field) = ((string)row[0], (Func<JsonObject, JsonObject>)row[1], (string)row[2]);

                // Binary mode has no event without data: the body is its data (an empty body is not JSON, above).
                if (mode == Mode.Binary && field == "data")
                {
                    continue;
                }

                data.Add(mode, rule, breakIt, mode == Mode.Binary && !field.StartsWith("data.", StringComparison.Ordinal) ? field.ToLowerInvariant() : field);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BrokenRulesInEveryMode))]
    public async Task an_event_breaking_a_rule_is_refused_naming_its_field_in_every_mode(
        Mode mode, string rule, Func<JsonObject, JsonObject> breakIt, string field)
    {
        var child = Ce.Subject();
        var bad = breakIt(Ce.Contact(child, "2016-04-13", "CT-2"));

        using var response = await app.Client.PostAsync("/api/events", RawModes.Content(mode, bad));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, rule);
        var refused = (await CaseFlowApp.ProblemOf(response))["events"]!.AsArray().ShouldHaveSingleItem()!;
        refused["index"]!.GetValue<int>().ShouldBe(0);
        var errors = refused["errors"]!.AsArray();
        errors.ShouldContain(e => e!["field"]!.GetValue<string>() == field, rule);
        errors.ShouldAllBe(e => e!["message"]!.GetValue<string>().Contains(e["field"]!.GetValue<string>()));
        (await app.StoredEventCountAsync(child)).ShouldBe(0);
    }

    private static async Task AcceptedAsync(HttpResponseMessage response, int accepted, int duplicates)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        var ack = JsonNode.Parse(body)!;
        (ack["accepted"]!.GetValue<int>(), ack["duplicates"]!.GetValue<int>()).ShouldBe((accepted, duplicates));
    }
}
