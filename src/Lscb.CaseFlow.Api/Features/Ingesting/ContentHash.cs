using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Lscb.CaseFlow.Api.Features.Ingesting;

/// <summary>
/// What makes two sends "the same event": type, subject and data compared as JSON values, not as text
/// (key order, spacing and number spelling do not matter; <c>time</c> is left out).
/// </summary>
public static class ContentHash
{
    public static byte[] Of(string type, string subject, JsonElement data)
    {
        var canonical = new StringBuilder();
        canonical.Append(type).Append('\n').Append(subject).Append('\n');
        Write(data, canonical);
        return SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString()));
    }

    private static void Write(JsonElement value, StringBuilder to)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                to.Append('{');
                foreach (var property in value.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    to.Append(JsonSerializer.Serialize(property.Name)).Append(':');
                    Write(property.Value, to);
                    to.Append(',');
                }

                to.Append('}');
                break;
            case JsonValueKind.Array:
                to.Append('[');
                foreach (var item in value.EnumerateArray())
                {
                    Write(item, to);
                    to.Append(',');
                }

                to.Append(']');
                break;
            case JsonValueKind.String:
                to.Append(JsonSerializer.Serialize(value.GetString()));
                break;
            default:
                to.Append(value.GetRawText());
                break;
        }
    }
}
