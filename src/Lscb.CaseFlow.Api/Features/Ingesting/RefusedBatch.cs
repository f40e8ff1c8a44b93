using Lscb.CaseFlow.Api.Host.OpenApi;

namespace Lscb.CaseFlow.Api.Features.Ingesting;

/// <summary>
/// A refused batch as <c>POST /api/events</c> describes it: RFC 9457 problem details with the events concerned, for the
/// OpenAPI description (the endpoint writes it through <see cref="Http.Problems"/>). A broken rule lists its events
/// with their errors; a conflict lists them with their source; a body that is no batch at all has no events.
/// </summary>
public sealed record RefusedBatch(
    [property: OptionalInContract] string? Type,
    string Title,
    int Status,
    string Detail,
    [property: OptionalInContract] IReadOnlyList<RefusedEvent>? Events,
    [property: OptionalInContract] string? TraceId);

/// <summary>An event of a refused batch: its index in the batch (from 0) and id, and why (or its source).</summary>
public sealed record RefusedEvent(
    int Index,
    string? Id,
    [property: OptionalInContract] string? Source,
    [property: OptionalInContract] IReadOnlyList<FieldError>? Errors);
