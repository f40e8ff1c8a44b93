using Microsoft.AspNetCore.Mvc;
using Lscb.CaseFlow.Api.Host.OpenApi;
using System.Security.Claims;
using Lscb.CaseFlow.Api.Host.Security;
using Microsoft.AspNetCore.Authorization;
using System.Text.Json;
using Lscb.CaseFlow.Api.Features.Ingesting;
using Wolverine.Http;
using Lscb.CaseFlow.Api.Http;

namespace Lscb.CaseFlow.Api.Features.Ingesting;

/// <summary>
/// <c>POST /api/events</c>: a CloudEvents batch from a MASH or local-authority system. All or nothing;
/// duplicates acknowledged and stored once. Payloads are never logged.
/// </summary>
public static class PostEvents
{
    public const int MaxEvents = 5_000;
    public const int MaxBytes = 10 * 1024 * 1024;

    private static readonly string[] JsonMediaTypes =
        ["application/cloudevents-batch+json", "application/json", "application/cloudevents+json"];

    [Authorize(Roles = Roles.Ingest)]
    [WolverinePost("/api/events")]
    [EndpointSummary("Send CloudEvents (batched, structured or binary mode): all or nothing, duplicates acknowledged")]
    [RequestBody(typeof(IReadOnlyList<CloudEventEnvelope>), "application/cloudevents-batch+json", "application/json")]
    [RequestBody(typeof(CloudEventEnvelope), "application/cloudevents+json", "application/json")]
    [RequestBody(typeof(Dictionary<string, JsonElement>), "application/json")]
    [CloudEventsBinaryMode]
    [ProducesResponseType<BatchAccepted>(StatusCodes.Status200OK)]
    [ProducesResponseType<RefusedBatch>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<RefusedBatch>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType(StatusCodes.Status413PayloadTooLarge)]
    [ProducesResponseType(StatusCodes.Status415UnsupportedMediaType)]
    public static async Task<IResult> Post(
        ClaimsPrincipal user, HttpRequest request, IncomingEventValidator validator, EventIngestor ingestor, ILoggerFactory loggers, CancellationToken ct)
    {
        var timings = new StageClock();
        if (request.ContentType is { } contentType && !IsJsonMediaType(contentType))
        {
            return Problems.Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                "Send a CloudEvents batch as application/cloudevents-batch+json or application/json.");
        }

        var body = await ReadBodyAsync(request, ct);
        if (body is null)
        {
            return TooLarge($"The body is over {MaxBytes / 1024 / 1024} MB.");
        }

        var read = timings.Lap();
        var parsed = Parse(body);
        if (parsed.Problem is not null)
        {
            return parsed.Problem;
        }

        using var document = parsed.Document!;
        var incoming = parsed.Events!;
        if (incoming.Count > MaxEvents)
        {
            return TooLarge($"A batch holds at most {MaxEvents} events; this one has {incoming.Count}.");
        }

        var parse = timings.Lap();
        var invalid = validator.FindInvalid(incoming);
        if (invalid.Count > 0)
        {
            return Problems.BadRequest("The batch was refused",
                $"{invalid.Count} of {incoming.Count} events break the contract; nothing was stored.",
                new Dictionary<string, object?> { ["events"] = invalid });
        }

        var foreign = incoming.Where(e => !user.MaySend(e.Source!)).ToList();
        if (foreign.Count > 0)
        {
            return Problems.Problem(StatusCodes.Status403Forbidden, "Source not allowed",
                $"This key may not send events from {string.Join(", ", foreign.Select(e => e.Source).Distinct().Select(s => $"'{s}'"))}; nothing was stored.",
                new Dictionary<string, object?> { ["events"] = foreign.Select(e => new EventRef(e.Index, e.Id!, e.Source!)).ToList() });
        }

        var validate = timings.Lap();
        var valid = incoming.Select(ValidEvent.From).ToList();
        var prepare = timings.Lap();

        // Where a batch's time goes before it is stored, when asked for (Debug); EventIngestor logs the rest.
        var logger = loggers.CreateLogger(typeof(PostEvents).FullName!);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            logger.LogDebug("Request timings: {Events} events, {Bytes} bytes; body read {ReadMs} ms, JSON parse {ParseMs} ms, validation {ValidateMs} ms, hash and mapping {PrepareMs} ms",
                incoming.Count, body.Length, read, parse, validate, prepare);
        }

        return await ingestor.StoreAsync(valid, user.TenantId(), ct) switch
        {
            IngestionOutcome.Stored stored => Results.Ok(new BatchAccepted(stored.Accepted, stored.Duplicates)),
            IngestionOutcome.Conflict conflict => Problems.Problem(StatusCodes.Status409Conflict, "Conflicting events",
                "Other events are already held under these source and id; nothing of the batch was stored.",
                new Dictionary<string, object?> { ["events"] = conflict.Events.Select(e => new EventRef(e.Index, e.Id, e.Source)) }),
            IngestionOutcome.UnknownRetractionTargets unknown => Problems.BadRequest("The batch was refused",
                "A retraction names no event of its source and subject; nothing was stored.",
                new Dictionary<string, object?>
                {
                    ["events"] = unknown.Retractions.Select(e => new InvalidEvent(e.Index, e.Id,
                        [new FieldError("data.retractedId", "'data.retractedId' names no event of this source and subject.")])),
                }),
            _ => throw new InvalidOperationException("Unknown ingestion outcome."),
        };
    }

    public sealed record BatchAccepted(int Accepted, int Duplicates);

    public sealed record EventRef(int Index, string Id, string Source);

    private sealed record ParsedBody(JsonDocument? Document, List<IncomingEvent>? Events, IResult? Problem);

    private static ParsedBody Parse(byte[] body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            return new(null, null, Problems.BadRequest("Not JSON", "The body is not valid JSON."));
        }

        if (!JsonText.IsWellFormed(document.RootElement))
        {
            document.Dispose();
            return new(null, null, Problems.BadRequest("Not JSON",
                "The body is not valid JSON text: it holds bytes that are not UTF-8, or an unpaired surrogate (\\uD800–\\uDFFF)."));
        }

        var root = document.RootElement;
        List<IncomingEvent>? events = root.ValueKind switch
        {
            JsonValueKind.Array => root.EnumerateArray().Select((e, i) => new IncomingEvent(i, e)).ToList(),
            JsonValueKind.Object => [new IncomingEvent(0, root)],
            _ => null,
        };

        if (events is null or { Count: 0 })
        {
            document.Dispose();
            return new(null, null, Problems.BadRequest("Not a batch",
                "The body must be a JSON array of CloudEvents (or a single CloudEvent object) holding at least one event."));
        }

        return new(document, events, null);
    }

    /// <summary>One of the JSON media types exactly (parameters such as a charset aside), not merely a name starting like one.</summary>
    private static bool IsJsonMediaType(string contentType) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && JsonMediaTypes.Any(t => parsed.MediaType.Equals(t, StringComparison.OrdinalIgnoreCase));

    /// <summary>The body, or null when it is over the limit (read no further than that).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static IResult TooLarge(string detail) =>
        Problems.Problem(StatusCodes.Status413PayloadTooLarge, "Batch too large", detail);
}
