using Lscb.CaseFlow.Api.Host.OpenApi;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace Lscb.CaseFlow.Api.Features.Ingesting;

/// <summary>
/// One CloudEvents 1.0 event as <c>POST /api/events</c> takes it (events.md), for the OpenAPI description: the endpoint
/// reads the body itself, so that every rule is checked and said in its own words. Any attribute not listed here is
/// refused.
/// </summary>
public sealed record CloudEventEnvelope(
    [property: Required] string Specversion,
    [property: Required, StringLength(128, MinimumLength = 1)] string Id,
    [property: Required, StringLength(256, MinimumLength = 1)] string Source,
    [property: Required] string Type,
    [property: Required, RegularExpression("^[A-Za-z0-9_-]{1,64}$")] string Subject,
    [property: OptionalInContract] DateTimeOffset? Time,
    [property: OptionalInContract] string? Datacontenttype,
    [property: OptionalInContract] Uri? Dataschema,
    [property: OptionalInContract] string? Traceparent,
    [property: OptionalInContract] string? Tracestate,
    [property: Required] JsonElement Data);
