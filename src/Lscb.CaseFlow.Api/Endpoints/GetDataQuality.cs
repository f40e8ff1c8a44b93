using System.Security.Claims;
using Lscb.CaseFlow.Api.Security;
using Microsoft.AspNetCore.Authorization;
using Npgsql;
using Wolverine.Http;

namespace Lscb.CaseFlow.Api.Endpoints;

/// <summary>
/// <c>GET /api/data-quality[?childId=&amp;rule=&amp;limit=&amp;offset=]</c>: sequences that look wrong but were
/// accepted, such as a plan ceasing with no start. Each disappears when the missing event arrives.
/// </summary>
public static class GetDataQuality
{
    public const int MaxLimit = 1_000;

    [Authorize(Roles = Roles.Auditor)]
    [WolverineGet("/api/data-quality")]
    public static async Task<IResult> Get(ClaimsPrincipal user, string? childId, string? rule, int? limit, int? offset, TenantDatabases databases, CancellationToken ct)
    {
        if (limit is < 1 or > MaxLimit || offset is < 0)
        {
            return Problems.BadRequest("Malformed parameter", $"'limit' must be 1–{MaxLimit} and 'offset' 0 or more.");
        }

        // Projected rows: read once the projection includes every event committed before the request.
        var db = await databases.ReadForAsync(user.TenantId(), ct);
        await using var cmd = db.CreateCommand($"""
            select child_id, source, event_id, rule, message, occurred_on, count(*) over () as total
            from {CaseFlowTables.Findings}
            where tenant_id = @tenant
              and (@child::text is null or child_id = @child)
              and (@rule::text is null or rule = @rule)
            order by occurred_on, child_id, source, event_id, rule
            limit @limit offset @offset
            """);
        cmd.Parameters.AddWithValue("tenant", user.TenantId());
        cmd.Parameters.AddWithValue("child", (object?)childId ?? DBNull.Value);
        cmd.Parameters.AddWithValue("rule", (object?)rule ?? DBNull.Value);
        cmd.Parameters.AddWithValue("limit", limit ?? 100);
        cmd.Parameters.AddWithValue("offset", offset ?? 0);

        var findings = new List<FindingResponse>();
        long total = 0;
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            findings.Add(new FindingResponse(reader.GetString(0), reader.GetString(2), reader.GetString(1),
                reader.GetString(3), reader.GetString(4), reader.GetFieldValue<DateOnly>(5)));
            total = reader.GetInt64(6);
        }

        return Results.Ok(new FindingsResponse(total, findings));
    }

    public sealed record FindingResponse(string ChildId, string EventId, string Source, string Rule, string Message, DateOnly OccurredOn);

    public sealed record FindingsResponse(long Total, IReadOnlyList<FindingResponse> Findings);
}
