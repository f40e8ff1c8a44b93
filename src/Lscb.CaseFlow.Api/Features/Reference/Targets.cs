using Microsoft.AspNetCore.Mvc;
using Lscb.CaseFlow.Api.Host.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;
using System.Security.Claims;
using Lscb.CaseFlow.Api.Host.Security;
using Microsoft.AspNetCore.Authorization;
using Lscb.CaseFlow.Kpis;
using Lscb.CaseFlow.Reporting;
using Wolverine.Http;
using Lscb.CaseFlow.Api.Http;
using Lscb.CaseFlow.Api.Features.Ingesting;

namespace Lscb.CaseFlow.Api.Features.Reference;

/// <summary><c>GET /api/targets</c>: the local targets, one per KPI that has one.</summary>
public static class GetTargets
{
    [Authorize(Roles = Roles.Analyst + "," + Roles.Admin)]
    [WolverineGet("/api/targets")]
    [EndpointSummary("The local targets, one per KPI that has one")]
    public static async Task<IReadOnlyList<TargetBody>> Get(ClaimsPrincipal user, TargetStore targets, CancellationToken ct) =>
        (await targets.AllAsync(user.TenantId(), ct))
            .Select(t => new TargetBody(t.Key, t.Value.Value, t.Value.Limit, t.Value.Direction.ToString().ToLowerInvariant()))
            .ToList();
}

/// <summary>
/// <c>PUT /api/targets/{key}</c> with <c>{ "target": 0, "limit": 4, "direction": "lower" }</c>: the seed's
/// "target 0 %, maximum 4 %". <c>direction</c> says whether lower or higher is better.
/// </summary>
public static class PutTarget
{
    private const string Expected = "{ \"target\": N, \"limit\": N (optional), \"direction\": \"lower\" or \"higher\" }";

    public static ProblemHttpResult? Check(string key, TargetBody? body)
    {
        var problems = new List<string>();
        if (KpiDefinitions.All.All(k => k.Key != key))
        {
            // Quoted only when it is a plain name: the key is whatever the caller put in the path.
            problems.Add(IncomingEventValidator.IsSubject(key) ? $"'{key}' is not a KPI." : "The path names no KPI.");
        }

        // Exactly a name: Enum.TryParse would also take numbers and flag lists such as "lower,higher".
        if (body is null || !Enum.GetNames<Direction>().Contains(body.Direction, StringComparer.OrdinalIgnoreCase)
            || !Enum.TryParse<Direction>(body.Direction, ignoreCase: true, out var direction))
        {
            problems.Add("'direction' must be \"lower\" or \"higher\" (which is better).");
        }
        else if (body.Target is not { } target || !double.IsFinite(target))
        {
            problems.Add("'target' is required: a number.");
        }
        else if (body.Limit is { } l && !double.IsFinite(l) || !new Target(target, body.Limit, direction).IsConsistent)
        {
            problems.Add("'limit' must be on the worse side of 'target' (above it when lower is better, below it when higher is).");
        }

        return problems.Count == 0 ? null : Problems.BadRequest("Invalid target", string.Join(" ", problems));
    }

    [Authorize(Roles = Roles.Admin)]
    [WolverinePut("/api/targets/{key}")]
    [EndpointSummary("Set a KPI's local target")]
    [RequestBody(typeof(TargetBody), "application/json")]
    public static async Task<Results<NoContent, ProblemHttpResult>> Put(ClaimsPrincipal user, string key, HttpRequest request, TargetStore targets, CancellationToken ct)
    {
        var (body, malformed) = await JsonBody.ReadAsync<TargetBody>(request, Expected, ct);
        if ((malformed ?? Check(key, body)) is { } problem)
        {
            return problem;
        }

        await targets.SetAsync(user.TenantId(), key, body!.ToTarget(), ct);
        return TypedResults.NoContent();
    }
}

/// <summary><c>DELETE /api/targets/{key}</c>.</summary>
public static class DeleteTarget
{
    [Authorize(Roles = Roles.Admin)]
    [WolverineDelete("/api/targets/{key}")]
    [EndpointSummary("Remove a KPI's local target")]
    [ProducesResponseType(StatusCodes.Status404NotFound)]
    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(ClaimsPrincipal user, string key, TargetStore targets, CancellationToken ct) =>
        await targets.RemoveAsync(user.TenantId(), key, ct) ? TypedResults.NoContent() : Problems.NotFound($"No target is set for '{key}'.");
}

public sealed record TargetBody(string? Key, double? Target, double? Limit, string Direction)
{
    public Target ToTarget() => new(Target!.Value, Limit, Enum.Parse<Direction>(Direction, ignoreCase: true));
}
