namespace Lscb.CaseFlow.Api.Host.OpenApi;

/// <summary>
/// The endpoint also takes one event in the CloudEvents binary content mode: its attributes as <c>ce-</c> headers, its
/// <c>data</c> as the body (events.md). Described as optional header parameters.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class CloudEventsBinaryModeAttribute : Attribute
{
    public static readonly IReadOnlyList<(string Header, string Description)> Headers =
    [
        ("ce-specversion", "Binary mode: \"1.0\". With it, the body is the event's data and these headers its attributes."),
        ("ce-id", "Binary mode: the producer's id for the event, 1–128 characters."),
        ("ce-source", "Binary mode: the producing system, a URI-reference such as urn:lscb:solihull:mash."),
        ("ce-type", "Binary mode: one of the contract's event types."),
        ("ce-subject", "Binary mode: the child's pseudonymous id, ^[A-Za-z0-9_-]{1,64}$."),
        ("ce-time", "Binary mode, optional: when the producer recorded it (RFC 3339)."),
        ("ce-dataschema", "Binary mode, optional: a URI naming the producer's schema; kept, never interpreted."),
        ("ce-traceparent", "Binary mode, optional: the W3C Trace Context of the producer's trace."),
        ("ce-tracestate", "Binary mode, optional: the W3C Trace Context state."),
    ];
}
