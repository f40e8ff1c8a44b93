using System.Diagnostics;
using Lscb.CaseFlow.Api.Host.Telemetry;

namespace Lscb.CaseFlow.Api.Features.Ingesting;

/// <summary>
/// The span and counters of one posted batch. The producer's trace (<c>traceparent</c>, as a ce- header or an attribute)
/// continues here: one event's trace is the span's parent, a batch's traces are its links.
/// </summary>
public static class IngestTelemetry
{
    /// <summary>What OpenTelemetry keeps of a span's links by default; more would be dropped on export anyway.</summary>
    public const int MaxLinks = 128;

    public static Activity? Start(IReadOnlyList<IncomingEvent> events, ContentMode mode)
    {
        var source = CaseFlowTelemetry.ActivitySource;
        if (!source.HasListeners())
        {
            return null;
        }

        var traces = events
            .Select(e => e.TraceParent is { } parent && ActivityContext.TryParse(parent, e.TraceState, isRemote: true, out var context) ? context : default)
            .Where(c => c != default)
            .Distinct()
            .ToList();

        var tags = new ActivityTagsCollection
        {
            ["caseflow.events.count"] = events.Count,
            ["caseflow.content_mode"] = mode.ToString().ToLowerInvariant(),
        };

        if (events.Count == 1 && traces.Count == 1)
        {
            // The request's own span stays reachable as a link when the event's trace becomes the parent.
            var request = Activity.Current is { } current ? new[] { new ActivityLink(current.Context) } : [];
            return source.StartActivity("caseflow.ingest", ActivityKind.Internal, traces[0], tags, request);
        }

        return source.StartActivity("caseflow.ingest", ActivityKind.Internal, parentContext: default, tags,
            traces.Take(MaxLinks).Select(c => new ActivityLink(c)));
    }

    public static void Outcome(IReadOnlyList<IncomingEvent> incoming, IReadOnlyList<ValidEvent> batch, IngestionOutcome outcome)
    {
        switch (outcome)
        {
            case IngestionOutcome.Stored stored:
                Stored(batch, stored.Fresh);
                break;
            case IngestionOutcome.Conflict:
                Refused(incoming, "conflict");
                break;
            case IngestionOutcome.UnknownRetractionTargets:
                Refused(incoming, "unknown-retraction");
                break;
        }
    }

    private static void Stored(IReadOnlyList<ValidEvent> batch, IReadOnlyCollection<ValidEvent> fresh)
    {
        var freshBySource = fresh.GroupBy(e => e.Source, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        foreach (var group in batch.GroupBy(e => e.Source, StringComparer.Ordinal))
        {
            var tag = new KeyValuePair<string, object?>(CaseFlowTelemetry.SourceTag, CaseFlowTelemetry.SourceValue(group.Key));
            var accepted = freshBySource.GetValueOrDefault(group.Key);
            if (accepted > 0)
            {
                CaseFlowTelemetry.EventsAccepted.Add(accepted, tag);
            }

            if (group.Count() - accepted > 0)
            {
                CaseFlowTelemetry.EventsDuplicate.Add(group.Count() - accepted, tag);
            }
        }
    }

    /// <summary>Every event of a refused batch, by source, with why the batch was refused (a fixed word).</summary>
    public static void Refused(IEnumerable<IncomingEvent> batch, string reason)
    {
        foreach (var group in batch.GroupBy(e => CaseFlowTelemetry.SourceValue(e.Source), StringComparer.Ordinal))
        {
            CaseFlowTelemetry.EventsRefused.Add(group.Count(),
                new KeyValuePair<string, object?>(CaseFlowTelemetry.SourceTag, group.Key),
                new KeyValuePair<string, object?>(CaseFlowTelemetry.ReasonTag, reason));
        }

        Activity.Current?.SetTag(CaseFlowTelemetry.ReasonTag, reason);
    }
}
