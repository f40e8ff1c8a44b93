using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.Http;
using CloudNative.CloudEvents.SystemTextJson;

namespace Lscb.CaseFlow.Api.Tests.Infrastructure;

/// <summary>
/// The official CloudEvents SDK for .NET as a producer would use it: <see cref="Ce"/>'s events turned into the SDK's
/// <see cref="CloudEvent"/>, and posted in each content mode by the SDK's own HTTP encoding.
/// </summary>
public static class CsharpSdk
{
    public static readonly JsonEventFormatter Formatter = new();

    public static readonly DateTimeOffset SentAt = new(2026, 11, 26, 9, 30, 0, TimeSpan.Zero);

    /// <summary>The SDK's event for one of <see cref="Ce"/>'s, with a time and JSON data as the SDK writes them.</summary>
    public static CloudEvent From(JsonObject e) => new()
    {
        Id = e["id"]!.GetValue<string>(),
        Source = new Uri(e["source"]!.GetValue<string>(), UriKind.RelativeOrAbsolute),
        Type = e["type"]!.GetValue<string>(),
        Subject = e["subject"]!.GetValue<string>(),
        Time = SentAt,
        DataContentType = "application/json",
        Data = JsonSerializer.SerializeToElement(e["data"]),
    };

    public static HttpContent Binary(CloudEvent e) => e.ToHttpContent(ContentMode.Binary, Formatter);

    public static HttpContent Structured(CloudEvent e) => e.ToHttpContent(ContentMode.Structured, Formatter);

    public static HttpContent Batch(params CloudEvent[] events) => events.ToHttpContent(Formatter);

    public static Task<HttpResponseMessage> PostAsync(this CaseFlowApp app, HttpContent content) => app.Client.PostAsync("/api/events", content);
}

/// <summary>A mode a test posts one event in, written by hand (for events the SDK will not write, such as one lacking its id).</summary>
public enum Mode
{
    Batched,
    Structured,
    Json,
    Binary,
}

public static class RawModes
{
    /// <summary>One event as <paramref name="mode"/> carries it: in binary mode its attributes as ce- headers, its data the body.</summary>
    public static HttpContent Content(Mode mode, JsonObject e)
    {
        switch (mode)
        {
            case Mode.Binary:
                var content = new StringContent(e["data"]?.ToJsonString() ?? "", Encoding.UTF8);
                content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=utf-8");
                foreach (var (name, value) in e.Where(p => p.Key != "data"))
                {
                    content.Headers.TryAddWithoutValidation("ce-" + name, Uri.EscapeDataString(value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value?.ToJsonString() ?? ""));
                }

                return content;
            default:
                var body = mode == Mode.Batched ? new JsonArray(e.DeepClone()).ToJsonString() : e.ToJsonString();
                var json = new StringContent(body, Encoding.UTF8);
                json.Headers.ContentType = MediaTypeHeaderValue.Parse(mode switch
                {
                    Mode.Batched => "application/cloudevents-batch+json; charset=utf-8",
                    Mode.Structured => "application/cloudevents+json; charset=utf-8",
                    _ => "application/json; charset=utf-8",
                });
                return json;
        }
    }
}
