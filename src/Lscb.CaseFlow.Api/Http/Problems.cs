using Microsoft.AspNetCore.Http.HttpResults;
namespace Lscb.CaseFlow.Api.Http;

/// <summary>RFC 9457 problem details, written the same way by every endpoint.</summary>
public static class Problems
{
    public static ProblemHttpResult BadRequest(string title, string detail, IDictionary<string, object?>? extensions = null) =>
        Problem(StatusCodes.Status400BadRequest, title, detail, extensions);

    public static ProblemHttpResult Problem(int status, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, extensions: extensions);

    public static ProblemHttpResult NotFound(string detail) =>
        Problem(StatusCodes.Status404NotFound, "Not found", detail);

    /// <summary>
    /// A 503 written by an exception handler: <c>Retry-After</c>, never cached, and a title and detail that say what to
    /// do (never what failed inside).
    /// </summary>
    public static ValueTask<bool> WriteUnavailableAsync(
        IProblemDetailsService problemDetails, HttpContext httpContext, int retryAfterSeconds, string title, string detail)
    {
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        httpContext.Response.Headers.CacheControl = "no-store";
        return problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = title,
                Detail = detail,
            },
        });
    }

    /// <summary>What each typed query parameter takes, to say so when a value is not that.</summary>
    private static readonly Dictionary<string, string> QueryForms = new(StringComparer.Ordinal)
    {
        ["publication"] = "true or false",
        ["limit"] = "a whole number",
        ["offset"] = "a whole number",
    };

    /// <summary>
    /// Every problem this service writes passes here (<c>ProblemDetailsOptions.CustomizeProblemDetails</c>). Wolverine's own
    /// two, for a query value it cannot parse and a body it cannot read as JSON, quote the caller's input and name .NET
    /// types (<c>…PutPopulation+PopulationEstimate</c>): they are said again in this service's words, quoting nothing.
    /// </summary>
    public static void InOurWords(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;

        // The correlation id the caller sent or was given (Hardening), so a problem can be found in the logs by it.
        problem.Extensions["traceId"] = context.HttpContext.TraceIdentifier;
        if (problem.Title == "Invalid query string value" && problem.Extensions.TryGetValue("parameter", out var parameter) && parameter is string name)
        {
            problem.Title = "Malformed parameter";
            problem.Detail = $"'{name}' must be {QueryForms.GetValueOrDefault(name, "a value of its kind")}.";
        }
        else if (problem.Title == "Invalid JSON format")
        {
            problem.Title = "Malformed body";
            problem.Detail = "The body is not JSON of the form this endpoint takes.";
            problem.Instance = null;
            problem.Extensions.Remove("lineNumber");
            problem.Extensions.Remove("bytePositionInLine");
        }
    }

    /// <summary>Reads an optional <c>YYYY-MM-DD</c> query value; a problem when it is malformed.</summary>
    public static ProblemHttpResult? ParseDate(string name, string? text, bool required, out DateOnly? date)
    {
        date = null;
        if (string.IsNullOrEmpty(text))
        {
            return required ? BadRequest("Missing parameter", $"'{name}' is required: a date written YYYY-MM-DD.") : null;
        }

        if (!IsoDates.TryParseDate(text, out var parsed))
        {
            return BadRequest("Malformed parameter", $"'{name}' must be a real date written YYYY-MM-DD.");
        }

        date = parsed;
        return null;
    }
}
