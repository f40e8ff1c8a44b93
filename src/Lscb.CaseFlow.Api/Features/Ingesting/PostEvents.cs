using Microsoft.AspNetCore.Http.HttpResults;
using Lscb.CaseFlow.Api.ReadModel;
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
/// <c>POST /api/events</c>: CloudEvents from a MASH or local-authority system, batched, structured or binary
/// (<see cref="ContentModes"/>). All or nothing; duplicates acknowledged and stored once. Payloads are never logged.
/// </summary>
public static class PostEvents
{
    public const int MaxEvents = 5_000;
    public const int MaxBytes = 10 * 1024 * 1024;

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
    public static async Task<Results<Ok<BatchAccepted>, ProblemHttpResult>> Post(
        ClaimsPrincipal user, HttpRequest request, IncomingEventValidator validator, EventIngestor ingestor, ILoggerFactory loggers, CancellationToken ct)
    {
        var timings = new StageClock();
        if (ContentModes.Of(request) is not { } mode)
        {
            return Problems.Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                "Send a CloudEvents batch as application/cloudevents-batch+json, one event as application/cloudevents+json, "
                + "or one event in binary mode (ce- headers, its data as application/json).");
        }

        var body = await ReadBodyAsync(request, ct);
        if (body is null)
        {
            return TooLarge($"The body is over {MaxBytes / 1024 / 1024} MB.");
        }

        var read = timings.Lap();
        var parsed = ContentModes.Parse(body, mode, request.Headers);
        if (parsed.Problem is not null)
        {
            return parsed.Problem;
        }

        using var document = parsed.Document!;
        var incoming = parsed.Events!;
        using var span = IngestTelemetry.Start(incoming, mode);
        if (incoming.Count > MaxEvents)
        {
            IngestTelemetry.Refused(incoming, "too-many");
            return TooLarge($"A batch holds at most {MaxEvents} events; this one has {incoming.Count}.");
        }

        var parse = timings.Lap();
        var invalid = validator.FindInvalid(incoming);
        if (invalid.Count > 0)
        {
            IngestTelemetry.Refused(incoming, "invalid");
            return Problems.BadRequest("The batch was refused",
                $"{invalid.Count} of {incoming.Count} events break the contract; nothing was stored.",
                new Dictionary<string, object?> { ["events"] = invalid });
        }

        var foreign = incoming.Where(e => !user.MaySend(e.Source!)).ToList();
        if (foreign.Count > 0)
        {
            IngestTelemetry.Refused(incoming, "forbidden-source");
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

        var outcome = await ingestor.StoreAsync(valid, user.TenantId(), ct);
        IngestTelemetry.Outcome(incoming, valid, outcome);
        return outcome switch
        {
            IngestionOutcome.Stored stored => TypedResults.Ok(new BatchAccepted(stored.Accepted, stored.Duplicates)),
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

    private static ProblemHttpResult TooLarge(string detail) =>
        Problems.Problem(StatusCodes.Status413PayloadTooLarge, "Batch too large", detail);
}
