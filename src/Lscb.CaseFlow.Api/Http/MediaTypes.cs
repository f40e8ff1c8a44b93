using Microsoft.Net.Http.Headers;

namespace Lscb.CaseFlow.Api.Http;

/// <summary>
/// Every endpoint reads a <c>Content-Type</c> the same way: parsed as a media type, parameters such as a charset
/// set aside, then the type compared exactly (case aside). A name that merely starts like one (<c>application/jsonx</c>)
/// or a header that does not parse is none of them.
/// </summary>
public static class MediaTypes
{
    public const string Json = "application/json";
    public const string CloudEvent = "application/cloudevents+json";
    public const string CloudEventsBatch = "application/cloudevents-batch+json";

    /// <summary>The media type of <paramref name="contentType"/> without its parameters, lower case; null when it does not parse.</summary>
    public static string? MediaTypeOf(string? contentType) =>
        contentType is not null && MediaTypeHeaderValue.TryParse(contentType, out var parsed)
            && parsed.MediaType.HasValue && parsed.Type.HasValue && parsed.SubType.HasValue
            && parsed.Type.Length > 0 && parsed.SubType.Length > 0
            ? parsed.MediaType.Value!.ToLowerInvariant()
            : null;

    /// <summary>Whether <paramref name="contentType"/> is one of <paramref name="mediaTypes"/> exactly, parameters aside.</summary>
    public static bool IsOneOf(string? contentType, IEnumerable<string> mediaTypes) =>
        MediaTypeOf(contentType) is { } type && mediaTypes.Any(t => type.Equals(t, StringComparison.OrdinalIgnoreCase));

    /// <summary><c>application/json</c> or a JSON-based <c>application/…+json</c>, parameters aside.</summary>
    public static bool IsJson(string? contentType) =>
        MediaTypeOf(contentType) is { } type
        && (type == Json || (type.StartsWith("application/", StringComparison.Ordinal) && type.EndsWith("+json", StringComparison.Ordinal)
            && type.Length > "application/".Length + "+json".Length));
}
