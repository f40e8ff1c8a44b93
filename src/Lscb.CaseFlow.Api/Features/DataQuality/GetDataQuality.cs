using Microsoft.AspNetCore.Http.HttpResults;
using System.Security.Claims;
using Lscb.CaseFlow.Api.Host.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Lscb.CaseFlow.Api.Features.Audit;
using Lscb.CaseFlow.Api.ReadModel.Storage;
using Lscb.CaseFlow.Api.Http;
using Lscb.CaseFlow.Api.ReadModel;

namespace Lscb.CaseFlow.Api.Features.DataQuality;

/// <summary>
/// <c>GET /api/data-quality[?childId=&amp;rule=&amp;reason=&amp;limit=&amp;offset=]</c>: sequences that look wrong but were
/// accepted, such as a plan ceasing with no start. Each disappears when the missing event arrives. Findings name
/// children, so every answer is in the access log as journeys are: one child's findings recorded before they are read
/// (found or not), a listing recorded for each child it names before it is sent; with a reason when the caller gives
/// one (<c>?reason=</c> or the <c>X-Access-Reason</c> header).
/// </summary>
public static class GetDataQuality
{
    public const int MaxLimit = 1_000;

    public const int MaxRuleLength = 64;

    [Authorize(Roles = Roles.Auditor)]
    [WolverineGet("/api/data-quality")]
    [EndpointSummary("Data-quality findings: sequences explained by late or missing data (each read is access-logged)")]
    public static async Task<Results<Ok<FindingsResponse>, ProblemHttpResult>> Get(
        ClaimsPrincipal user, HttpRequest request, string? childId, string? rule, string? reason, int? limit, int? offset, TenantDatabases databases,
        AccessLog accessLog, CancellationToken ct)
    {
        if (limit is < 1 or > MaxLimit || offset is < 0)
        {
            return Problems.BadRequest("Malformed parameter", $"'limit' must be 1–{MaxLimit} and 'offset' 0 or more.");
        }

        if (rule is not null && (rule.Length > MaxRuleLength || !ChildReads.IsPlainText(rule)))
        {
            return Problems.BadRequest("Malformed parameter", $"'rule' is the name of a rule: at most {MaxRuleLength} characters of plain text.");
        }

        var reasonProblem = ChildReads.ReadReason(request, reason, out var given);
        if (((childId is null ? null : ChildReads.CheckChildId(childId)) ?? reasonProblem) is { } problem)
        {
            return problem;
        }

        var caller = (user.Id(), user.Name());
        if (childId is not null)
        {
            // One child's findings: recorded, found or not, before anything is read.
            await accessLog.RecordAsync(user.TenantId(), caller, AccessLog.DataQuality, [childId], null, given, ct);
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
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                findings.Add(new FindingResponse(reader.GetString(0), reader.GetString(2), reader.GetString(1),
                    reader.GetString(3), reader.GetString(4), reader.GetFieldValue<DateOnly>(5)));
                total = reader.GetInt64(6);
            }
        }

        if (childId is null)
        {
            // A listing: every child it names, once each, recorded before it is sent (in the primary, whatever was read).
            await accessLog.RecordAsync(user.TenantId(), caller, AccessLog.DataQuality,
                findings.Select(f => f.ChildId).Distinct(StringComparer.Ordinal).ToList(), null, given, ct);
        }

        return TypedResults.Ok(new FindingsResponse(total, findings));
    }

    public sealed record FindingResponse(string ChildId, string EventId, string Source, string Rule, string Message, DateOnly OccurredOn);

    public sealed record FindingsResponse(long Total, IReadOnlyList<FindingResponse> Findings);
}
