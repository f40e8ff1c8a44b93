using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Lscb.CaseFlow.Api.Host.Telemetry;

/// <summary>
/// This service's own spans and instruments, under one name. Tags hold only bounded, non-personal values: an event's
/// <c>source</c> (a producing system), never its id, subject or data.
/// </summary>
public static class CaseFlowTelemetry
{
    public const string Name = "Lscb.CaseFlow";

    /// <summary>The CloudEvents semantic convention's name for an event's source.</summary>
    public const string SourceTag = "cloudevents.event_source";

    public const string ReasonTag = "caseflow.refusal";

    public static readonly ActivitySource ActivitySource = new(Name);

    public static readonly Meter Meter = new(Name);

    public static readonly Counter<long> EventsAccepted =
        Meter.CreateCounter<long>("caseflow.events.accepted", "{event}", "Events stored, by source.");

    public static readonly Counter<long> EventsDuplicate =
        Meter.CreateCounter<long>("caseflow.events.duplicate", "{event}", "Events acknowledged as duplicates and not stored again, by source.");

    public static readonly Counter<long> EventsRefused =
        Meter.CreateCounter<long>("caseflow.events.refused", "{event}", "Events of refused batches (nothing of which was stored), by source and reason.");

    public static readonly Histogram<double> KpiQueryDuration =
        Meter.CreateHistogram<double>("caseflow.kpi.query.duration", "s", "Time to count a set of measures for one window in PostgreSQL.");

    /// <summary>
    /// Sources are sent by the client: past this many distinct ones beyond those configured (<see cref="Configure"/>),
    /// the rest share one tag value, so a key allowed every source cannot grow the metrics without bound.
    /// </summary>
    public const int MaxSources = 64;

    public const string OtherSource = "other";

    public const string InvalidSource = "invalid";

    private static readonly ConcurrentDictionary<string, byte> Sources = new(StringComparer.Ordinal);

    private static readonly ConcurrentDictionary<string, byte> ConfiguredSources = new(StringComparer.Ordinal);

    /// <summary>Sources named in configuration are always tagged as themselves: their number is the operator's.</summary>
    public static void Configure(IEnumerable<string> sources)
    {
        foreach (var source in sources.Select(s => s.Trim()).Where(s => s is { Length: > 0 } and not "*"))
        {
            ConfiguredSources.TryAdd(source, 0);
        }
    }

    /// <summary>The value to tag a source with: itself when well formed and among the first seen, else a fixed word.</summary>
    public static string SourceValue(string? source)
    {
        if (source is not { Length: > 0 and <= 256 } || source.Any(char.IsControl))
        {
            return InvalidSource;
        }

        if (ConfiguredSources.ContainsKey(source) || Sources.ContainsKey(source))
        {
            return source;
        }

        // A race may admit a few past the bound; the bound is about growth, not an exact count.
        return Sources.Count < MaxSources && Sources.TryAdd(source, 0) ? source : Sources.ContainsKey(source) ? source : OtherSource;
    }
}
