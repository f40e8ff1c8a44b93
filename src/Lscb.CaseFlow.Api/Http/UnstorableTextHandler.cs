using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Lscb.CaseFlow.Api.Http;

/// <summary>
/// PostgreSQL refuses text it cannot hold: U+0000 (<c>22021</c>, or <c>22P05</c> inside <c>jsonb</c>). Such text can only
/// come from the caller, for example a query value <c>%00</c> passed on as a parameter, so the answer is <c>400</c>
/// problem details rather than a <c>500</c>. The events endpoint refuses such text before it reaches the database;
/// this is the backstop for every other.
/// </summary>
public sealed class UnstorableTextHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (httpContext.Response.HasStarted
            || DatabaseUnavailableHandler.Find(exception, e => e is PostgresException { SqlState: "22021" or "22P05" }) is null)
        {
            return false;
        }

        httpContext.Response.StatusCode = StatusCodes.Status400BadRequest;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "Malformed parameter",
                Detail = "The request holds a character that cannot be stored or searched for (U+0000).",
            },
        });
    }
}
