using System.Security.Claims;
using Lscb.CaseFlow.Api.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Lscb.CaseFlow.Api.Endpoints;

/// <summary>
/// <c>GET /api/audit/journey-reads[?childId=&amp;keyName=&amp;from=&amp;to=&amp;limit=&amp;offset=]</c>: who read which child's
/// journey, newest first, for the caller's authority. Admins only.
/// </summary>
public static class GetJourneyReads
{
    public const int MaxLimit = 1_000;

    public static ProblemDetails Validate(string? from, string? to, int? limit, int? offset)
    {
        var problems = new List<string>();
        foreach (var (name, text) in new[] { ("from", from), ("to", to) })
        {
            if (!string.IsNullOrEmpty(text) && !Ingestion.IncomingEventValidator.TryParseDate(text, out _))
            {
                problems.Add($"'{name}' must be a real date written YYYY-MM-DD.");
            }
        }

        if (limit is < 1 or > MaxLimit || offset is < 0)
        {
            problems.Add($"'limit' must be 1–{MaxLimit} and 'offset' 0 or more.");
        }

        return problems.Count == 0
            ? WolverineContinue.NoProblems
            : new ProblemDetails { Status = 400, Title = "Invalid query", Detail = string.Join(" ", problems) };
    }

    [Authorize(Roles = Roles.Admin)]
    [WolverineGet("/api/audit/journey-reads")]
    public static async Task<IResult> Get(
        ClaimsPrincipal user, string? childId, string? keyName, string? from, string? to, int? limit, int? offset, AccessLog log, CancellationToken ct)
    {
        DateOnly? Date(string? text) => Ingestion.IncomingEventValidator.TryParseDate(text ?? "", out var d) ? d : null;
        var (total, reads) = await log.ListAsync(user.TenantId(), childId, keyName, Date(from), Date(to), limit ?? 100, offset ?? 0, ct);
        return Results.Ok(new { total, reads });
    }
}
