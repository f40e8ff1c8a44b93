using System.Text.Json;
using Lscb.CaseFlow.Events;
using Lscb.CaseFlow.Journeys;

namespace Lscb.CaseFlow.Tests.Support;

/// <summary>A CloudEvent of a fixture as the domain sees it: the child it is about, and the event.</summary>
internal sealed record FixtureEvent(string Subject, CaseEvent Event);

/// <summary>
/// The shared fixture of Naseem's family (Naseem and his sister Tara) and the KPIs it must give,
/// read from <c>shared/fixtures</c>.
/// </summary>
internal static class Naseem
{
    public const string NaseemId = "NASEEM01";
    public const string TaraId = "TARA01";

    private static readonly DateTimeOffset RecordedAt = new(2019, 1, 2, 9, 0, 0, TimeSpan.Zero);

    private static readonly Lazy<IReadOnlyList<FixtureEvent>> AllEvents =
        new(() => CloudEvents.Read(File.ReadAllText(Shared.PathOf("fixtures/naseem.json"))));

    private static readonly Lazy<JsonElement> ExpectedRoot = new(() =>
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Shared.PathOf("fixtures/naseem.expected.json")));
        return document.RootElement.Clone();
    });

    /// <summary>Every event of the family, in the fixture's (arrival) order.</summary>
    public static IReadOnlyList<FixtureEvent> Events => AllEvents.Value;

    /// <summary>naseem.expected.json.</summary>
    public static JsonElement Expected => ExpectedRoot.Value;

    public static IReadOnlyList<string> Children => Events.Select(e => e.Subject).Distinct().ToList();

    public static CaseEvent Event(string eventId) => Events.Single(e => e.Event.EventId == eventId).Event;

    public static IEnumerable<CaseEvent> EventsOf(string child) =>
        Events.Where(e => e.Subject == child).Select(e => e.Event);

    public static ChildHistory HistoryOf(string child) => ChildHistory.Of(EventsOf(child));

    /// <summary>The child's events as the store would hold them, sequenced in the fixture's order.</summary>
    public static IReadOnlyList<StoredEvent> StoredOf(string child) =>
        Events.Select((e, index) => (e, Sequence: index + 1L))
            .Where(x => x.e.Subject == child)
            .Select(x => new StoredEvent(x.e.Event, x.Sequence, RecordedAt))
            .ToList();
}

/// <summary>Maps CloudEvents JSON (a batch array) to the domain's records through the wire catalog.</summary>
internal static class CloudEvents
{
    private static readonly JsonSerializerOptions DataOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    public static IReadOnlyList<FixtureEvent> Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateArray().Select(ToDomain).ToList();
    }

    private static FixtureEvent ToDomain(JsonElement cloudEvent)
    {
        string Text(string name) => cloudEvent.GetProperty(name).GetString()
            ?? throw new InvalidDataException($"CloudEvent field '{name}' is null.");

        var type = EventTypes.Find(Text("type")) ?? throw new InvalidDataException($"Unknown event type '{Text("type")}'.");
        var data = cloudEvent.GetProperty("data").Deserialize(type.ClrType, DataOptions) as CaseEvent
            ?? throw new InvalidDataException($"Event {Text("id")} has no data.");
        return new FixtureEvent(Text("subject"), data with { Source = Text("source"), EventId = Text("id") });
    }
}

/// <summary>
/// Finds the shared folder: beside the repository at /work/main, or beside the clone in CI. Walks up from
/// the test binaries and checks both <c>dir/shared</c> and <c>dir/../shared</c>.
/// </summary>
internal static class Shared
{
    public static string PathOf(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(dir.FullName, "shared", relative), Path.Combine(dir.FullName, "..", "shared", relative) })
            {
                if (File.Exists(candidate))
                {
                    return Path.GetFullPath(candidate);
                }
            }
        }

        throw new FileNotFoundException($"shared/{relative} was not found in or beside any parent of {AppContext.BaseDirectory}.");
    }
}
