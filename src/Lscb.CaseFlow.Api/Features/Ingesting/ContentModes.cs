using Microsoft.AspNetCore.Http.HttpResults;
using System.Buffers;
using System.Text.Json;
using Lscb.CaseFlow.Api.Http;

namespace Lscb.CaseFlow.Api.Features.Ingesting;

/// <summary>How a request carries its events (the CloudEvents HTTP binding, as events.md takes it).</summary>
public enum ContentMode
{
    /// <summary><c>application/cloudevents-batch+json</c>: a JSON array of events.</summary>
    Batched,

    /// <summary><c>application/cloudevents+json</c>: one event as a JSON object.</summary>
    Structured,

    /// <summary><c>application/json</c>, or no <c>Content-Type</c>: an array is a batch, an object one event.</summary>
    Json,

    /// <summary>The attributes as <c>ce-</c> headers, the body the event's data.</summary>
    Binary,
}

/// <summary>The parsed body: its events, or the problem to answer instead.</summary>
public sealed record ParsedBody(JsonDocument? Document, List<IncomingEvent>? Events, ProblemHttpResult? Problem);

/// <summary>
/// Every content mode becomes the same thing, a list of <see cref="IncomingEvent"/> as if posted structured, so that
/// one validator and one store hold for all of them.
/// </summary>
public static class ContentModes
{
    public const string HeaderPrefix = "ce-";

    /// <summary>The mode of a request, or null when its <c>Content-Type</c> is none this endpoint reads.</summary>
    public static ContentMode? Of(HttpRequest request)
    {
        var contentType = request.ContentType;
        var mediaType = MediaTypes.MediaTypeOf(contentType);
        if (contentType is not null && mediaType is null)
        {
            return null;
        }

        // The binding's rule: a structured or batched media type says the mode; only otherwise do ce- headers.
        return mediaType switch
        {
            MediaTypes.CloudEventsBatch => ContentMode.Batched,
            MediaTypes.CloudEvent => ContentMode.Structured,
            _ when HasAttributeHeaders(request.Headers) => mediaType is null || MediaTypes.IsJson(contentType) ? ContentMode.Binary : null,
            null or MediaTypes.Json => ContentMode.Json,
            _ => null,
        };
    }

    public static ParsedBody Parse(byte[] body, ContentMode mode, IHeaderDictionary headers)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            return new(null, null, Problems.BadRequest("Not JSON", mode == ContentMode.Binary
                ? "In binary mode the body is the event's data, which must be valid JSON."
                : "The body is not valid JSON."));
        }

        if (!JsonText.IsWellFormed(document.RootElement))
        {
            document.Dispose();
            return new(null, null, Problems.BadRequest("Not JSON",
                "The body is not valid JSON text: it holds bytes that are not UTF-8, or an unpaired surrogate (\\uD800–\\uDFFF)."));
        }

        if (mode == ContentMode.Binary)
        {
            using (document)
            {
                return FromHeaders(headers, document.RootElement);
            }
        }

        var root = document.RootElement;
        List<IncomingEvent>? events = (root.ValueKind, mode) switch
        {
            (JsonValueKind.Array, ContentMode.Batched or ContentMode.Json) => root.EnumerateArray().Select((e, i) => new IncomingEvent(i, e)).ToList(),
            (JsonValueKind.Object, ContentMode.Structured or ContentMode.Json) => [new IncomingEvent(0, root)],
            _ => null,
        };

        if (events is null or { Count: 0 })
        {
            document.Dispose();
            return new(null, null, Problems.BadRequest("Not a batch", mode switch
            {
                ContentMode.Batched => "An application/cloudevents-batch+json body must be a JSON array holding at least one CloudEvent.",
                ContentMode.Structured => "An application/cloudevents+json body must be one CloudEvent, a JSON object.",
                _ => "The body must be a JSON array of CloudEvents (or a single CloudEvent object) holding at least one event.",
            }));
        }

        return new(document, events, null);
    }

    private static bool HasAttributeHeaders(IHeaderDictionary headers) =>
        headers.Keys.Any(k => k.StartsWith(HeaderPrefix, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The binary-mode event written out as its structured form: each <c>ce-</c> header an attribute (its value
    /// percent-decoded, as the binding says), the body its <c>data</c>. An unknown header is kept as an attribute so that
    /// the validator refuses it by name, like any other.
    /// </summary>
    private static ParsedBody FromHeaders(IHeaderDictionary headers, JsonElement data)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, values) in headers.Where(h => h.Key.StartsWith(HeaderPrefix, StringComparison.OrdinalIgnoreCase))
                         .OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase))
            {
                var attribute = name[HeaderPrefix.Length..].ToLowerInvariant();
                if (values.Count != 1)
                {
                    return new(null, null, Problems.BadRequest("The event was refused",
                        $"The header '{HeaderPrefix}{attribute}' must be sent once; nothing was stored."));
                }

                // 'data' is the body in binary mode, never a header: named as sent so that it is refused, not merged.
                writer.WriteString(attribute == "data" ? HeaderPrefix + attribute : attribute, Decode(values[0] ?? ""));
            }

            writer.WritePropertyName("data");
            data.WriteTo(writer);
            writer.WriteEndObject();
        }

        var document = JsonDocument.Parse(buffer.WrittenMemory);
        return new(document, [new IncomingEvent(0, document.RootElement)], null);
    }

    private static string Decode(string value)
    {
        try
        {
            return Uri.UnescapeDataString(value);
        }
        catch (UriFormatException)
        {
            return value;
        }
    }
}
