using Microsoft.AspNetCore.Authorization;
using Npgsql;
using Wolverine.Http;

namespace Lscb.CaseFlow.Api.Endpoints;

/// <summary><c>GET /health</c>: 200 while the event store answers, 503 while it does not.</summary>
public static class GetHealth
{
    [AllowAnonymous]
    [WolverineGet("/health")]
    public static async Task<IResult> Get(NpgsqlDataSource db, HttpResponse response, CancellationToken ct)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            await using var cmd = db.CreateCommand($"select 1 from {CaseFlowTables.EventKeys} limit 1");
            await cmd.ExecuteScalarAsync(timeout.Token);
            return Results.Ok(new Health("healthy"));
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException or InvalidOperationException)
        {
            response.Headers.RetryAfter = "5";
            return Results.Json(new Health("unavailable"), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    public sealed record Health(string Status);
}
