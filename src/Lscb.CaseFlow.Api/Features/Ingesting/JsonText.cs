using System.Text.Json;

namespace Lscb.CaseFlow.Api.Features.Ingesting;

/// <summary>
/// Whether every string and property name of a parsed document is text: UTF-8 that decodes, and no unpaired surrogate
/// escape such as <c>"\uD800"</c> (I-JSON, RFC 7493 §2.1). <see cref="JsonDocument"/> parses either, and only throws
/// when such a string is read, so a body is checked whole before anything reads it.
/// </summary>
public static class JsonText
{
    /// <remarks>Recursive: the parser has already refused documents deeper than its <c>MaxDepth</c>.</remarks>
    public static bool IsWellFormed(JsonElement element)
    {
        try
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    _ = element.GetString();
                    return true;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        if (!IsWellFormed(item))
                        {
                            return false;
                        }
                    }

                    return true;
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        _ = property.Name; // decoded here, so that a bad name throws here
                        if (!IsWellFormed(property.Value))
                        {
                            return false;
                        }
                    }

                    return true;
                default:
                    return true;
            }
        }
        catch (InvalidOperationException)
        {
            // "Cannot transcode invalid UTF-8" or "Cannot read invalid UTF-16 JSON text as string".
            return false;
        }
    }
}
