using Lscb.CaseFlow.Events;
using System.Globalization;
using System.Text.Json;
using System.Buffers;
using Lscb.CaseFlow.Api.Features.Ingesting;

namespace Lscb.CaseFlow.Api.Features.Importing;

/// <summary>
/// Stores what a file was read into through the same path as <c>POST /api/events</c>: each event is checked by
/// the contract's validator, hashed and mapped as a posted one is, and stored by the ingestor under the caller's
/// tenant, children in sorted chunks. Idempotency is the key table's: an event already held with the same content
/// is a duplicate; one held with other content (an earlier import said otherwise) is kept as it was and listed.
/// </summary>
public sealed class HistoryImporter(IncomingEventValidator validator, EventIngestor ingestor, ILogger<HistoryImporter> logger)
{
    /// <summary>The one source of imported history, whichever format: the same record from either is one event.</summary>
    public const string Source = Sources.ImportedHistory;

    /// <summary>At most this many events per transaction; a child's events are never split.</summary>
    public const int ChunkSize = 2_000;

    public async Task<ImportAnswer> StoreAsync(ImportBatch batch, string tenantId, CancellationToken ct)
    {
        var events = batch.Events;
        var stored = 0;
        var duplicates = 0;
        foreach (var chunk in Chunks(events))
        {
            var pending = Validate(chunk, batch.Rejected);
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
                    var imported = chunk[e.Index];
                    batch.Rejected.Add(imported.Record, $"{Describe(imported)}: an earlier import holds this record with other details; it was kept as it was.");
                }

                pending = pending.Where(e => !held.Contains((e.Source, e.Id))).ToList();
            }
        }

        logger.LogInformation("Import of {Events} events: {Stored} stored, {Duplicates} duplicates, {Rejected} rejected.",
            events.Count, stored, duplicates, batch.Rejected.Total);
        return new ImportAnswer(stored, duplicates, batch.Rejected, batch.Warnings, batch.Rejected.Total, batch.Warnings.Total);
    }

    /// <summary>
    /// A chunk's events as the contract's envelopes, checked by its validator as posted events are: the refused are
    /// listed, the rest come back ready to store (indexed by their place in the chunk). Only one chunk's JSON is held.
    /// </summary>
    private List<ValidEvent> Validate(IReadOnlyList<ImportedEvent> chunk, IssueList rejected)
    {
        var buffer = new ArrayBufferWriter<byte>(chunk.Count * 256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var e in chunk)
            {
                writer.WriteStartObject();
                writer.WriteString("specversion", "1.0");
                writer.WriteString("id", e.Id);
                writer.WriteString("source", Source);
                writer.WriteString("type", e.Type);
                writer.WriteString("subject", e.Subject);
                writer.WritePropertyName("data");
                writer.WriteStartObject();
                writer.WriteString("occurredOn", e.OccurredOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                using (var data = JsonDocument.Parse(e.DataJson))
                {
                    foreach (var property in data.RootElement.EnumerateObject())
                    {
                        property.WriteTo(writer);
                    }
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        var incoming = document.RootElement.EnumerateArray().Select((json, i) => new IncomingEvent(i, json)).ToList();
        var invalid = validator.FindInvalid(incoming).ToDictionary(x => x.Index);
        var valid = new List<ValidEvent>(incoming.Count);
        foreach (var e in incoming)
        {
            if (invalid.TryGetValue(e.Index, out var refused))
            {
                var imported = chunk[e.Index];
                rejected.Add(imported.Record, $"{Describe(imported)}: {string.Join(" ", refused.Errors.Select(f => f.Message))} Not imported.");
                continue;
            }

            valid.Add(ValidEvent.From(e));
        }

        return valid;
    }

    private static string Describe(ImportedEvent e) => $"{e.Type} ({e.Field} {e.OccurredOn:yyyy-MM-dd})";

    /// <summary>Children in sorted order (each child's events in the file's order), packed into chunks of about <see cref="ChunkSize"/> events.</summary>
    private static IEnumerable<List<ImportedEvent>> Chunks(List<ImportedEvent> events)
    {
        var chunk = new List<ImportedEvent>();
        var child = new List<ImportedEvent>();
        foreach (var e in events.OrderBy(e => e.Subject, StringComparer.Ordinal))
        {
            if (child.Count > 0 && !string.Equals(child[0].Subject, e.Subject, StringComparison.Ordinal))
            {
                if (chunk.Count > 0 && chunk.Count + child.Count > ChunkSize)
                {
                    yield return chunk;
                    chunk = [];
                }

                chunk.AddRange(child);
                child.Clear();
            }

            child.Add(e);
        }

        if (chunk.Count > 0 && chunk.Count + child.Count > ChunkSize)
        {
            yield return chunk;
            chunk = [];
        }

        chunk.AddRange(child);
        if (chunk.Count > 0)
        {
            yield return chunk;
        }
    }
}
