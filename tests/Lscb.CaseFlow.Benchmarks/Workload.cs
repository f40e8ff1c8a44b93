using System.Text;
using System.Text.Json.Nodes;
using Lscb.CaseFlow.Api.Host.Demo;

namespace Lscb.CaseFlow.Benchmarks;

/// <summary>Exactly N synthetic events from the demo generator, over the financial years 2010-11 to 2019-20.</summary>
internal sealed class Workload
{
    public static readonly DateOnly From = new(2010, 4, 1);
    public static readonly DateOnly To = new(2020, 3, 31);

    public const int BatchSize = 1_000;

    // One generator per few hundred families, a seed each (the seed is in every child id, so they share no child):
    // the demo generator has numbered each event by scanning all it made before, which for all N at once is N².
    // Enough families per seed to keep its per-family proportions whole (e.g. a short break per 60 families).
    private const int FamiliesPerSeed = 200;

    private readonly Dictionary<string, string> _families;

    private Workload(List<JsonObject> events)
    {
        Events = events;
        Children = events.Select(Subject).Distinct(StringComparer.Ordinal).ToList();
        _families = events
            .Where(e => e["data"]?["familyId"] is not null)
            .GroupBy(Subject, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First()["data"]!["familyId"]!.GetValue<string>(), StringComparer.Ordinal);
    }

    public IReadOnlyList<JsonObject> Events { get; }

    /// <summary>Distinct children (subjects), in order of first event.</summary>
    public IReadOnlyList<string> Children { get; }

    public static Workload Generate(int n)
    {
        var events = new List<JsonObject>(n);
        var kept = new HashSet<(string, string, string)>();
        for (var seed = 1; events.Count < n; seed++)
        {
            foreach (var e in new JourneyGenerator(seed, From, To, authority: "bench").Generate(FamiliesPerSeed))
            {
                if (events.Count == n)
                {
                    break;
                }

                // A retraction must come after its target; one whose target fell outside the cut is dropped.
                if (IsRetraction(e) && !kept.Contains(TargetOf(e)))
                {
                    continue;
                }

                kept.Add(KeyOf(e));
                events.Add(e);
            }
        }

        return new Workload(events);
    }

    /// <summary>Contact events not taken back by a retraction: what the whole range's <c>contacts</c> must count.</summary>
    public long LiveContacts()
    {
        var retracted = Events.Where(IsRetraction).Select(TargetOf).ToHashSet();
        return Events.LongCount(e => Text(e, "type") == "contact" && !retracted.Contains(KeyOf(e)));
    }

    /// <summary>
    /// POST bodies of up to <see cref="BatchSize"/> events, either every event but the retractions or only the
    /// retractions (which the API refuses unless their target is already stored or earlier in the same batch). A batch
    /// holds whole families, as a source system sends what it recorded about one family together: cut anywhere, two
    /// batches in flight at once would share a child, and the second would wait for the first to commit (writers to a
    /// child take turns), which turns four clients into one.
    /// </summary>
    public IReadOnlyList<byte[]> Batches(bool retractions)
    {
        var batches = new List<byte[]>();
        var batch = new List<JsonObject>();
        foreach (var family in Events.Where(e => IsRetraction(e) == retractions).GroupBy(FamilyOf, StringComparer.Ordinal))
        {
            var events = family.ToList();
            if (batch.Count > 0 && batch.Count + events.Count > BatchSize)
            {
                batches.Add(Body(batch));
                batch.Clear();
            }

            batch.AddRange(events);
        }

        if (batch.Count > 0)
        {
            batches.Add(Body(batch));
        }

        return batches;

        static byte[] Body(List<JsonObject> events) => Encoding.UTF8.GetBytes($"[{string.Join(",", events.Select(e => e.ToJsonString()))}]");
    }

    /// <summary>A child's family (as its contacts name it), or the child itself when none does.</summary>
    private string FamilyOf(JsonObject e) => _families.GetValueOrDefault(Subject(e)) ?? Subject(e);


    public static string Text(JsonObject e, string name) => e[name]!.GetValue<string>();

    public static string Subject(JsonObject e) => Text(e, "subject");

    private static bool IsRetraction(JsonObject e) => Text(e, "type") == "retraction";

    /// <summary>An event's identity for retractions: source, subject and id.</summary>
    private static (string, string, string) KeyOf(JsonObject e) => (Text(e, "source"), Subject(e), Text(e, "id"));

    private static (string, string, string) TargetOf(JsonObject e) =>
        (Text(e, "source"), Subject(e), e["data"]!["retractedId"]!.GetValue<string>());
}
