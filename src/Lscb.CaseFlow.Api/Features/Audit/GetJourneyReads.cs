using Lscb.CaseFlow.Api.Http;
using System.Security.Claims;
using Lscb.CaseFlow.Api.Host.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using Lscb.CaseFlow.Api.Features.Ingesting;

namespace Lscb.CaseFlow.Api.Features.Audit;

/// <summary>
/// <c>GET /api/audit/journey-reads[?childId=&amp;keyName=&amp;callerId=&amp;read=&amp;from=&amp;to=&amp;limit=&amp;offset=]</c>: who
/// read what of which child (a journey, data-quality findings), newest first, for the caller's authority: the caller's
/// stable id and display name, the child, when, the <c>asOf</c> date and the reason. Admins only.
/// </summary>
public static class GetJourneyReads
{
    public const int MaxLimit = 1_000;

    private static readonly string[] Reads = [AccessLog.Journey, AccessLog.DataQuality, AccessLog.Cohort];

    public static ProblemDetails Validate(
        string? childId, string? keyName, string? callerId, string? read, string? from, string? to, int? limit, int? offset)
    {
        var problems = new List<string>();
        foreach (var (name, text) in new[] { ("from", from), ("to", to) })
        {
            if (!string.IsNullOrEmpty(text) && !IsoDates.TryParseDate(text, out _))
            {
                problems.Add($"'{name}' must be a real date written YYYY-MM-DD.");
            }
        }

        if (limit is < 1 or > MaxLimit || offset is < 0)
        {
            problems.Add($"'limit' must be 1–{MaxLimit} and 'offset' 0 or more.");
        }

        if (childId is not null && !IncomingEventValidator.IsSubject(childId))
        {
            problems.Add("'childId' is 1–64 letters, digits, '_' or '-', as the events' subject.");
        }

        foreach (var (name, text) in new[] { ("keyName", keyName), ("callerId", callerId) })
        {
            if (text is not null && (text.Length > 600 || !ChildReads.IsPlainText(text)))
            {
                problems.Add($"'{name}' is at most 600 characters of plain text.");
            }
        }

        if (read is not null && !Reads.Contains(read, StringComparer.Ordinal))
        {
            problems.Add($"'read' must be {string.Join(" or ", Reads)}.");
        }

        return problems.Count == 0
            ? WolverineContinue.NoProblems
            : new ProblemDetails { Status = 400, Title = "Invalid query", Detail = string.Join(" ", problems) };
    }

    [Authorize(Roles = Roles.Admin)]
    [WolverineGet("/api/audit/journey-reads")]
    [EndpointSummary("The access log: who read which child's journey or findings, newest first")]
    public static async Task<JourneyReadsResponse> Get(
        ClaimsPrincipal user, string? childId, string? keyName, string? callerId, string? read, string? from, string? to, int? limit, int? offset,
        AccessLog log, CancellationToken ct)
    {
        DateOnly? Date(string? text) => IsoDates.TryParseDate(text ?? "", out var d) ? d : null;
        var (total, reads) = await log.ListAsync(user.TenantId(), new AccessLog.Filter(childId, keyName, callerId, read, Date(from), Date(to)),
            limit ?? 100, offset ?? 0, ct);
        return new JourneyReadsResponse(total, reads);
    }

    /// <summary>How many reads match, and a page of them.</summary>
    public sealed record JourneyReadsResponse(long Total, IReadOnlyList<JourneyRead> Reads);
}
