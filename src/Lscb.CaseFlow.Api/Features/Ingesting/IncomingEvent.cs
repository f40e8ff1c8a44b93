using System.Text.Json;

namespace Lscb.CaseFlow.Api.Features.Ingesting;

/// <summary>One element of a posted batch, as sent: nothing about it is trusted until validated.</summary>
public sealed record IncomingEvent(int Index, JsonElement Json)
{
    public static readonly IReadOnlySet<string> EnvelopeFields =
        new HashSet<string>(
            ["specversion", "id", "source", "type", "subject", "time", "datacontenttype", "dataschema", "traceparent", "tracestate", "data"],
            StringComparer.Ordinal);

    public bool IsObject => Json.ValueKind == JsonValueKind.Object;

    public JsonElement? Member(string name) =>
        IsObject && Json.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public string? Text(string name) => Member(name) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;

    public string? Id => Text("id");

    public string? Source => Text("source");

    public string? Type => Text("type");

    public string? Subject => Text("subject");

    public JsonElement? Data => Member("data");

    /// <summary>The producer's W3C trace context (the CloudEvents distributed-tracing extension), when sent.</summary>
    public string? TraceParent => Text("traceparent");

    public string? TraceState => Text("tracestate");

    public IEnumerable<string> UnknownEnvelopeFields =>
        IsObject ? Json.EnumerateObject().Select(p => p.Name).Where(n => !EnvelopeFields.Contains(n)) : [];
}
