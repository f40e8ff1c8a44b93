using Lscb.CaseFlow.Kpis;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Lscb.CaseFlow.Api.Http;

/// <summary>A window as a caller asked for it: its dates, or the problem to answer instead (then the dates mean nothing).</summary>
public sealed record AskedWindow(Window Window, ProblemDetails Problem);

/// <summary>
/// The <c>from</c>/<c>to</c> query parameters every window endpoint takes, read once in the endpoint's <c>Load</c>:
/// its <c>Validate</c> answers the problem, its handler takes the window.
/// </summary>
public static class WindowQuery
{
    /// <summary>The window of <paramref name="from"/> and <paramref name="to"/>, checked.</summary>
    public static AskedWindow Read(string? from, string? to) =>
        new(Parse(from ?? "", to ?? ""), Validate(from, to));

    /// <summary>As <see cref="Read"/>, and leaving a year before it to compare with.</summary>
    public static AskedWindow ReadWithYearEarlier(string? from, string? to) =>
        new(Parse(from ?? "", to ?? ""), ValidateWithYearEarlier(from, to));

    private static ProblemDetails Validate(string? from, string? to)
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
    private static ProblemDetails ValidateWithYearEarlier(string? from, string? to)
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

    private static Window Parse(string from, string to)
    {
        IsoDates.TryParseDate(from, out var f);
        IsoDates.TryParseDate(to, out var t);
        return new Window(f, t);
    }
}
