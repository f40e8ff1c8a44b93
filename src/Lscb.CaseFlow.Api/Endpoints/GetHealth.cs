using Microsoft.AspNetCore.Authorization;
using Npgsql;
using Wolverine.Http;

namespace Lscb.CaseFlow.Api.Endpoints;

/// <summary>
/// <c>GET /health</c>: 200 while every database of the event store answers, 503 while one does not (readiness: a node
/// that cannot reach an authority's database should not be sent that authority's requests). <c>GET /health/live</c>:
/// 200 while the process serves HTTP at all (liveness: restarting a node does not bring a database back).
/// </summary>
public static class GetHealth
{
    [AllowAnonymous]
    [WolverineGet("/health")]
    public static async Task<IResult> Get(TenantDatabases databases, HttpResponse response, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        var answers = await Task.WhenAll(databases.Primaries.Select(db => AnswersAsync(db, timeout.Token)));
        var unavailable = answers.Count(ok => !ok);
        if (unavailable == 0)
        {
            return Results.Ok(new Health("healthy", answers.Length, 0));
        }

        response.Headers.RetryAfter = "5";
        return Results.Json(new Health("unavailable", answers.Length, unavailable), statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    [AllowAnonymous]
    [WolverineGet("/health/live")]
    public static Health Live() => new("live", null, null);

    private static async Task<bool> AnswersAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        try
        {
            await using var cmd = db.CreateCommand($"select 1 from {CaseFlowTables.EventKeys} limit 1");
            await cmd.ExecuteScalarAsync(ct);
            return true;
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>The state, and how many databases there are and how many do not answer (never which: this is anonymous).</summary>
    public sealed record Health(string Status, int? Databases, int? Unavailable);
}
