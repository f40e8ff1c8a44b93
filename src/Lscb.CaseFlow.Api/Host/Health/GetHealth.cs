using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Lscb.CaseFlow.Api.Host.Health;

/// <summary>
/// <c>GET /health</c>: 200 while every database of the event store answers, 503 while one does not (readiness: a node
/// that cannot reach an authority's database should not be sent that authority's requests). The answer is at most
/// <see cref="DatabaseHealth.FreshFor"/> old and says when it was checked: however many ask, the databases are asked
/// once a second or so (<see cref="DatabaseHealth"/>). <c>GET /health/live</c>: 200 while the process serves HTTP at all
/// (liveness: restarting a node does not bring a database back); it asks nothing.
/// </summary>
public static class GetHealth
{
    [AllowAnonymous]
    [WolverineGet("/health")]
    [EndpointSummary("Readiness: 200 while every database answers, 503 while one does not")]
    [ProducesResponseType<Health>(StatusCodes.Status503ServiceUnavailable)]
    public static async Task<Results<Ok<Health>, JsonHttpResult<Health>>> Get(DatabaseHealth health, HttpResponse response, CancellationToken ct)
    {
        var state = await health.CheckAsync(ct);
        if (state.Unavailable == 0)
        {
            return TypedResults.Ok(new Health("healthy", state.Databases, 0, state.CheckedAt));
        }

        response.Headers.RetryAfter = "5";
        return TypedResults.Json(new Health("unavailable", state.Databases, state.Unavailable, state.CheckedAt), statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    [AllowAnonymous]
    [WolverineGet("/health/live")]
    [EndpointSummary("Liveness: 200 while the process serves HTTP")]
    public static Health Live() => new("live", null, null, null);

    /// <summary>
    /// The state, how many databases there are and how many do not answer (never which: this is anonymous), and when they
    /// were asked.
    /// </summary>
    public sealed record Health(string Status, int? Databases, int? Unavailable, DateTimeOffset? CheckedAt);
}
