using Lscb.CaseFlow.Api.Ingestion;
using Lscb.CaseFlow.Kpis;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Lscb.CaseFlow.Api.Endpoints;

/// <summary>The <c>from</c>/<c>to</c> query parameters every window endpoint takes.</summary>
public static class Windows
{
    public static ProblemDetails Validate(string? from, string? to)
    {
        var errors = new List<string>();
        foreach (var (name, text) in new[] { ("from", from), ("to", to) })
        {
            if (string.IsNullOrEmpty(text))
            {
                errors.Add($"'{name}' is required: a date written YYYY-MM-DD.");
            }
            else if (!IncomingEventValidator.TryParseDate(text, out _))
            {
                errors.Add($"'{name}' must be a real date written YYYY-MM-DD.");
            }
        }

        if (errors.Count == 0 && Parse(from!, to!) is { } w && w.From > w.To)
        {
            errors.Add("'from' must not be after 'to'.");
        }

        return errors.Count == 0
            ? WolverineContinue.NoProblems
            : new ProblemDetails
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "Invalid window",
                Detail = string.Join(" ", errors),
            };
    }

    public static Window Parse(string from, string to)
    {
        IncomingEventValidator.TryParseDate(from, out var f);
        IncomingEventValidator.TryParseDate(to, out var t);
        return new Window(f, t);
    }
}
