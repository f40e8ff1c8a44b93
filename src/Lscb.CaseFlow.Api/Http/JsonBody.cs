using Microsoft.AspNetCore.Http.HttpResults;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lscb.CaseFlow.Api.Http;

/// <summary>
/// The small JSON bodies of the admin endpoints (a population, a target), read here rather than by Wolverine: its
/// reader logs a malformed body as an error with the parser's message and a stack trace, and answers with the
/// parser's message, which names this service's types. Here a body that is not what the endpoint takes is a plain
/// 400 in this service's words, logged nowhere. Strict: numbers are numbers, no field the body does not have, no field
/// twice.
/// </summary>
public static class JsonBody
{
    /// <summary>Far more than a population or a target needs.</summary>
    public const int MaxBytes = 16 * 1024;

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.Strict,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
        MaxDepth = 8,
    };

    /// <summary>The body as a <typeparamref name="T"/> (null for JSON <c>null</c>), or the problem to answer instead.</summary>
    public static async Task<(T? Body, ProblemHttpResult? Problem)> ReadAsync<T>(HttpRequest request, string expected, CancellationToken ct)
        where T : class
    {
        if (request.ContentType is { } contentType && !MediaTypes.IsJson(contentType))
        {
            return (null, Problems.Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", $"Send {expected} as application/json."));
        }

        if (request.ContentLength > MaxBytes)
        {
            return (null, TooLarge());
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return (null, TooLarge());
            }

            buffer.Write(chunk, 0, read);
        }

        try
        {
            return (JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), Options), null);
        }
        catch (JsonException)
        {
            // The parser's message quotes the body and names types: never passed on.
            return (null, Problems.BadRequest("Malformed body", $"The body must be JSON: {expected}."));
        }
    }

    private static ProblemHttpResult TooLarge() =>
        Problems.Problem(StatusCodes.Status413PayloadTooLarge, "Body too large", $"This body is at most {MaxBytes / 1024} KB.");
}
