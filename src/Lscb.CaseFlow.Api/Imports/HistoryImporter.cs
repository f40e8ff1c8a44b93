using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lscb.CaseFlow.Api.Ingestion;

namespace Lscb.CaseFlow.Api.Imports;

/// <summary>
/// Stores what a file was read into through the same path as <c>POST /api/events</c>: each event is checked by
/// the contract's validator, hashed and mapped as a posted one is, and stored by the ingestor under the caller's
/// tenant, children in sorted chunks. Idempotency is the key table's: an event already held with the same content
/// is a duplicate; one held with other content (an earlier import said otherwise) is kept as it was and listed.
/// </summary>
public sealed class HistoryImporter(IncomingEventValidator validator, EventIngestor ingestor, ILogger<HistoryImporter> logger)
{
    /// <summary>The one source of imported history, whichever format: the same record from either is one event.</summary>
    public const string Source = "urn:lscb:history";

    /// <summary>At most this many events per transaction; a child's events are never split.</summary>
    public const int ChunkSize = 2_000;

    public async Task<ImportAnswer> StoreAsync(ImportBatch batch, string tenantId, CancellationToken ct)
    {
        var rejected = new List<ImportIssue>(batch.Rejected);
        var events = batch.Events;
        var envelopes = new JsonArray(events.Select(e => (JsonNode)new JsonObject
        {
            ["specversion"] = "1.0",
            ["id"] = e.Id,
            ["source"] = Source,
            ["type"] = e.Type,
            ["subject"] = e.Subject,
            ["data"] = WithDate(e),
        }).ToArray());
        using var document = JsonDocument.Parse(envelopes.ToJsonString());
        var incoming = document.RootElement.EnumerateArray().Select((json, i) => new IncomingEvent(i, json)).ToList();

        var invalid = validator.FindInvalid(incoming).ToDictionary(x => x.Index);
        var valid = new List<ValidEvent>();
        foreach (var e in incoming)
        {
            var imported = events[e.Index];
            if (invalid.TryGetValue(e.Index, out var refused))
            {
                rejected.Add(new(imported.Record, $"{Describe(imported)}: {string.Join(" ", refused.Errors.Select(f => f.Message))} Not imported."));
                continue;
            }

            valid.Add(ValidEvent.From(e));
        }

        var stored = 0;
        var duplicates = 0;
        foreach (var chunk in Chunks(valid))
        {
            var pending = chunk;
            while (pending.Count > 0)
            {
                var outcome = await ingestor.StoreAsync(pending, tenantId, ct);
                if (outcome is IngestionOutcome.Stored done)
                {
                    stored += done.Accepted;
                    duplicates += done.Duplicates;
                    break;
                }

                if (outcome is not IngestionOutcome.Conflict conflict)
                {
                    throw new InvalidOperationException($"An import got {outcome.GetType().Name}; it sends no retractions.");
                }

                var held = conflict.Events.Select(c => (c.Source, c.Id)).ToHashSet();
                foreach (var e in pending.Where(e => held.Contains((e.Source, e.Id))))
                {
                    var imported = events[e.Index];
                    rejected.Add(new(imported.Record, $"{Describe(imported)}: an earlier import holds this record with other details; it was kept as it was."));
                }

                pending = pending.Where(e => !held.Contains((e.Source, e.Id))).ToList();
            }
        }

        logger.LogInformation("Import of {Events} events: {Stored} stored, {Duplicates} duplicates, {Rejected} rejected.", events.Count, stored, duplicates, rejected.Count);
        return new ImportAnswer(stored, duplicates, rejected, batch.Warnings);
    }

    private static JsonObject WithDate(ImportedEvent e)
    {
        var data = new JsonObject { ["occurredOn"] = e.OccurredOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) };
        foreach (var (key, value) in e.Data)
        {
            data[key] = value?.DeepClone();
        }

        return data;
    }

    private static string Describe(ImportedEvent e) => $"{e.Type} ({e.Field} {e.OccurredOn:yyyy-MM-dd})";

    /// <summary>Children in sorted order, packed into chunks of about <see cref="ChunkSize"/> events.</summary>
    private static IEnumerable<List<ValidEvent>> Chunks(List<ValidEvent> valid)
    {
        var chunk = new List<ValidEvent>();
        foreach (var child in valid.GroupBy(e => e.Subject).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            if (chunk.Count > 0 && chunk.Count + child.Count() > ChunkSize)
            {
                yield return chunk;
                chunk = [];
            }

            chunk.AddRange(child);
        }

        if (chunk.Count > 0)
        {
            yield return chunk;
        }
    }
}
