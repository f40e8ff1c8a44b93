namespace Lscb.CaseFlow.Api.Endpoints;

/// <summary>RFC 9457 problem details, written the same way by every endpoint.</summary>
public static class Problems
{
    public static IResult BadRequest(string title, string detail, IDictionary<string, object?>? extensions = null) =>
        Problem(StatusCodes.Status400BadRequest, title, detail, extensions);

    public static IResult Problem(int status, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        Results.Problem(detail: detail, statusCode: status, title: title, extensions: extensions);

    public static IResult NotFound(string detail) =>
        Problem(StatusCodes.Status404NotFound, "Not found", detail);

    /// <summary>Reads an optional <c>YYYY-MM-DD</c> query value; a problem when it is malformed.</summary>
    public static IResult? ParseDate(string name, string? text, bool required, out DateOnly? date)
    {
        date = null;
        if (string.IsNullOrEmpty(text))
        {
            return required ? BadRequest("Missing parameter", $"'{name}' is required: a date written YYYY-MM-DD.") : null;
        }

        if (!Ingestion.IncomingEventValidator.TryParseDate(text, out var parsed))
        {
            return BadRequest("Malformed parameter", $"'{name}' must be a real date written YYYY-MM-DD.");
        }

        date = parsed;
        return null;
    }
}
