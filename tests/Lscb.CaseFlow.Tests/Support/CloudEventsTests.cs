using System.Text.Json;
using Lscb.CaseFlow.Events;

namespace Lscb.CaseFlow.Tests.Support;

/// <summary>The fixture helper itself: every CloudEvent of the fixture becomes the record its type names.</summary>
public class CloudEventsTests
{
    [Fact]
    public void every_fixture_event_becomes_the_record_of_its_type_with_its_source_and_id()
    {
        using var raw = JsonDocument.Parse(File.ReadAllText(Shared.PathOf("fixtures/naseem.json")));
        var cloudEvents = raw.RootElement.EnumerateArray().ToList();

        Naseem.Events.Count.ShouldBe(cloudEvents.Count);
        foreach (var (cloudEvent, mapped) in cloudEvents.Zip(Naseem.Events))
        {
            EventTypes.NameOf(mapped.Event).ShouldBe(cloudEvent.GetProperty("type").GetString());
            mapped.Event.Source.ShouldBe(cloudEvent.GetProperty("source").GetString());
            mapped.Event.EventId.ShouldBe(cloudEvent.GetProperty("id").GetString());
            mapped.Subject.ShouldBe(cloudEvent.GetProperty("subject").GetString());
        }

        Naseem.Children.ShouldBe([Naseem.NaseemId, Naseem.TaraId]);
    }

    [Fact]
    public void data_fields_map_to_the_record_s_properties()
    {
        var completed = Naseem.Event("naseem-009").ShouldBeOfType<AssessmentCompleted>();
        completed.OccurredOn.ShouldBe(A.Day("2015-12-22"));
        completed.AssessmentId.ShouldBe("A-N1");
        completed.Outcome.ShouldBe("early-help");
        completed.Factors.ShouldBe(["1B", "3A"]);

        var retraction = Naseem.Event("naseem-029").ShouldBeOfType<EventRetracted>();
        retraction.RetractedId.ShouldBe("naseem-028");
        retraction.Reason.ShouldBe("recorded against the wrong child");
    }
}
