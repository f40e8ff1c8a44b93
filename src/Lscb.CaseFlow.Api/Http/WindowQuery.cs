using Lscb.CaseFlow.Kpis;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Lscb.CaseFlow.Api.Http;

/// <summary>The <c>from</c>/<c>to</c> query parameters every window endpoint takes.</summary>
public static class WindowQuery
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
            else if (!IsoDates.TryParseDate(text, out _))
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

    /// <summary>A valid window that also has the same dates a year earlier to compare with (not in year 1).</summary>
    public static ProblemDetails ValidateWithYearEarlier(string? from, string? to)
    {
        var problem = Validate(from, to);
        return problem == WolverineContinue.NoProblems && Parse(from!, to!).From.Year == 1
            ? new ProblemDetails
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "Invalid window",
                Detail = "'from' must leave a year before it to compare with.",
            }
            : problem;
    }

    public static Window Parse(string from, string to)
    {
        IsoDates.TryParseDate(from, out var f);
        IsoDates.TryParseDate(to, out var t);
        return new Window(f, t);
    }
}
