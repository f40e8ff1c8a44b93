using System.Text.Json.Nodes;
using Lscb.CaseFlow.Api.Tests.Infrastructure;

namespace Lscb.CaseFlow.Api.Tests.Features.DataQuality;

/// <summary>Sequences that look wrong are accepted, listed, and cleared when the missing event arrives.</summary>
public sealed class DataQualityTests(CaseFlowApp app) : IClassFixture<CaseFlowApp>
{
    public static TheoryData<string, JsonObject[]> Findings => new()
    {
        { "plan-ceased-without-start", [Ce.PlanCeased("{child}", "2017-01-10", "P-1")] },
        { "plan-ceased-before-start", [Ce.PlanStarted("{child}", "2017-01-10", "P-1"), Ce.PlanCeased("{child}", "2016-12-01", "P-1")] },
        { "plan-started-while-another-open", [Ce.PlanStarted("{child}", "2017-01-10", "P-1"), Ce.PlanStarted("{child}", "2017-03-01", "P-2")] },
        { "icpc-unknown-s47", [Ce.Event("icpc", "{child}", "2017-01-10", ("conferenceId", "IC-1"), ("s47Id", "S-9"), ("outcome", "plan"))] },
        { "mash-decision-unknown-contact", [Ce.Event("mash-decision", "{child}", "2017-01-10", ("contactId", "CT-9"), ("decision", "assessment"))] },
        { "lac-ceased-without-start", [Ce.Event("lac-ceased", "{child}", "2017-01-10", ("episodeId", "L-9"))] },
    };

    [Theory]
    [MemberData(nameof(Findings))]
    public async Task a_sequence_that_looks_wrong_is_accepted_and_listed(string rule, JsonObject[] events)
    {
        var child = Ce.Subject();
        var batch = Ce.Batch(events.Select(e => (JsonNode)ForChild(e, child)).ToArray());

        (await app.IngestAsync(batch)).Accepted.ShouldBe(events.Length);

        var findings = (await app.GetJsonAsync($"/api/data-quality?childId={child}"))["findings"]!.AsArray();
        var finding = findings.ShouldHaveSingleItem()!;
        finding["rule"]!.GetValue<string>().ShouldBe(rule);
        finding["childId"]!.GetValue<string>().ShouldBe(child);
        finding["eventId"]!.GetValue<string>().ShouldBe(batch.Last()!["id"]!.GetValue<string>());
        finding["message"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task a_finding_disappears_when_the_missing_start_arrives()
    {
        var child = Ce.Subject();
        await app.IngestAsync(Ce.Batch(Ce.PlanCeased(child, "2017-06-30", "P-1")));
        (await FindingsFor(child)).Count.ShouldBe(1);

        await app.IngestAsync(Ce.Batch(Ce.PlanStarted(child, "2016-05-04", "P-1")));

        (await FindingsFor(child)).ShouldBeEmpty();
    }

    [Fact]
    public async Task a_retracted_event_raises_no_finding()
    {
        var child = Ce.Subject();
        var orphan = Ce.PlanCeased(child, "2017-06-30", "P-1");
        await app.IngestAsync(Ce.Batch(orphan, Ce.Retraction(child, "2017-07-01", orphan["id"]!.GetValue<string>())));

        (await FindingsFor(child)).ShouldBeEmpty();
    }

    [Fact]
    public async Task findings_can_be_listed_by_rule()
    {
        var child = Ce.Subject();
        await app.IngestAsync(Ce.Batch(Ce.Event("lac-ceased", child, "2017-01-10", ("episodeId", "L-1"))));

        var listed = (await app.GetJsonAsync("/api/data-quality?rule=lac-ceased-without-start"))["findings"]!.AsArray();

        listed.ShouldContain(f => f!["childId"]!.GetValue<string>() == child);
        listed.ShouldAllBe(f => f!["rule"]!.GetValue<string>() == "lac-ceased-without-start");
    }

    private async Task<JsonArray> FindingsFor(string child) =>
        (await app.GetJsonAsync($"/api/data-quality?childId={child}"))["findings"]!.AsArray();

    private static JsonObject ForChild(JsonObject e, string child)
    {
        var copy = (JsonObject)e.DeepClone();
        copy["subject"] = child;
        copy["id"] = Ce.NewId();
        return copy;
    }
}
