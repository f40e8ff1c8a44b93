using System.Net;
using System.Text.Json.Nodes;
using Lscb.CaseFlow.Api.Tests.Infrastructure;

namespace Lscb.CaseFlow.Api.Tests.Features.Ingesting;

/// <summary>Events arrive late, in batches, sometimes twice: nothing lost, nothing counted twice.</summary>
public sealed class IdempotencyTests(CaseFlowApp app) : IClassFixture<CaseFlowApp>
{
    [Fact]
    public async Task a_batch_sent_twice_is_stored_once_and_acknowledged_as_duplicates()
    {
        var child = Ce.Subject();
        var batch = Ce.Batch(Ce.Contact(child, "2016-04-12", "CT-1"), Ce.Referral(child, "2016-04-13", "R-1"));

        (await app.IngestAsync(batch)).ShouldBe((2, 0));
        (await app.IngestAsync(batch)).ShouldBe((0, 2));
        (await app.StoredEventCountAsync(child)).ShouldBe(2);
    }

    [Fact]
    public async Task the_same_event_twice_in_one_batch_is_stored_once()
    {
        var child = Ce.Subject();
        var contact = Ce.Contact(child, "2016-04-12", "CT-1");

        (await app.IngestAsync(Ce.Batch(contact, contact))).ShouldBe((1, 1));
        (await app.StoredEventCountAsync(child)).ShouldBe(1);
    }

    [Fact]
    public async Task the_same_content_with_other_key_order_spacing_and_time_is_a_duplicate()
    {
        var child = Ce.Subject();
        var id = Ce.NewId();
        var first = $$$"""[{"specversion":"1.0","id":"{{{id}}}","source":"urn:x","type":"contact","subject":"{{{child}}}","time":"2016-04-12T10:00:00Z","data":{"occurredOn":"2016-04-12","contactId":"CT-1","referralSource":"2A"}}]""";
        var again = $$$"""[ { "data": { "referralSource": "2A", "contactId": "CT-1", "occurredOn": "2016-04-12" }, "subject": "{{{child}}}", "type": "contact", "source": "urn:x", "id": "{{{id}}}", "specversion": "1.0", "time": "2016-04-13T09:00:00+01:00" } ]""";

        using var r1 = await app.PostRawAsync(first);
        using var r2 = await app.PostRawAsync(again);

        r1.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await r2.Content.ReadAsStringAsync()).ShouldBe("""{"accepted":0,"duplicates":1}""");
        (await app.StoredEventCountAsync(child)).ShouldBe(1);
    }

    [Fact]
    public async Task a_reused_id_with_other_content_is_a_conflict_and_nothing_of_the_batch_is_stored()
    {
        var child = Ce.Subject();
        var contact = Ce.Contact(child, "2016-04-12", "CT-1");
        await app.IngestAsync(Ce.Batch(contact));

        var changed = (JsonObject)contact.DeepClone();
        changed["data"]!["referralSource"] = "6";
        var fresh = Ce.Referral(child, "2016-04-13", "R-1");
        using var response = await app.PostEventsAsync(Ce.Batch(fresh, changed));

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var problem = await CaseFlowApp.ProblemOf(response);
        problem["events"]!.AsArray().ShouldHaveSingleItem()!["id"]!.GetValue<string>().ShouldBe(contact["id"]!.GetValue<string>());
        (await app.StoredEventCountAsync(child)).ShouldBe(1);
    }

    [Fact]
    public async Task the_same_id_from_another_source_is_another_event()
    {
        var child = Ce.Subject();
        var fromMash = Ce.Contact(child, "2016-04-12", "CT-1");
        var fromLcs = (JsonObject)fromMash.DeepClone();
        fromLcs["source"] = "urn:lscb:test:lcs";
        fromLcs["data"]!["contactId"] = "CT-2";

        (await app.IngestAsync(Ce.Batch(fromMash, fromLcs))).ShouldBe((2, 0));
    }

    [Fact]
    public async Task a_reused_id_with_other_content_within_one_batch_is_a_conflict()
    {
        var child = Ce.Subject();
        var contact = Ce.Contact(child, "2016-04-12", "CT-1");
        var changed = (JsonObject)contact.DeepClone();
        changed["data"]!["contactId"] = "CT-2";

        using var response = await app.PostEventsAsync(Ce.Batch(contact, changed));

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await app.StoredEventCountAsync(child)).ShouldBe(0);
    }
}
