using Lscb.CaseFlow.Api.Host.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;
using System.Security.Claims;
using Lscb.CaseFlow.Api.Host.Security;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;
using Lscb.CaseFlow.Api.ReadModel.Storage;
using Lscb.CaseFlow.Api.Http;
using Lscb.CaseFlow.Api.ReadModel;

namespace Lscb.CaseFlow.Api.Features.Reference;

/// <summary>
/// <c>PUT /api/reference/population/{year}</c> with <c>{ "children": N }</c>: the ONS mid-year estimate of
/// children aged 0–17 for mid-<c>year</c>, used for every rate per 10,000.
/// </summary>
public static class PutPopulation
{
    public sealed record PopulationEstimate(long Children);

    private const string Expected = "{ \"children\": N } with N a positive whole number";

    public static ProblemHttpResult? Check(int year, PopulationEstimate? body) =>
        year is < 1990 or > 2100 || body is null || body.Children <= 0
            ? Problems.BadRequest("Invalid population", $"The year must be 1990–2100 and the body {Expected}.")
            : null;

    [Authorize(Roles = Roles.Admin)]
    [WolverinePut("/api/reference/population/{year}")]
    [EndpointSummary("Set a year's population aged 0–17, used for every rate per 10,000")]
    [RequestBody(typeof(PopulationEstimate), "application/json")]
    public static async Task<Results<NoContent, ProblemHttpResult>> Put(ClaimsPrincipal user, int year, HttpRequest request, TenantDatabases databases, CancellationToken ct)
    {
        var (body, malformed) = await JsonBody.ReadAsync<PopulationEstimate>(request, Expected, ct);
        if ((malformed ?? Check(year, body)) is { } problem)
        {
            return problem;
        }

        await using var cmd = databases.For(user.TenantId()).CreateCommand($"""
            insert into {CaseFlowTables.Populations} (tenant_id, year, children) values (@tenant, @year, @children)
            on conflict (tenant_id, year) do update set children = excluded.children
            """);
        cmd.Parameters.AddWithValue("tenant", user.TenantId());
        cmd.Parameters.AddWithValue("year", year);
        cmd.Parameters.AddWithValue("children", body!.Children);
        await cmd.ExecuteNonQueryAsync(ct);
        return TypedResults.NoContent();
    }
}
