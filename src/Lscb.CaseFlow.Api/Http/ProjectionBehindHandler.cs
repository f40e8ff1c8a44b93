using Microsoft.AspNetCore.Diagnostics;
using Lscb.CaseFlow.Api.ReadModel.Storage;

namespace Lscb.CaseFlow.Api.Http;

/// <summary>
/// With the asynchronous projection, a read that the projection did not catch up with in time (its daemon is moving to
/// another node, or far behind a large back-load): 503 problem details with <c>Retry-After</c>, never a figure that
/// leaves out events the caller was told were stored.
/// </summary>
public sealed class ProjectionBehindHandler(IProblemDetailsService problemDetails, ILogger<ProjectionBehindHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (httpContext.Response.HasStarted || DatabaseUnavailableHandler.Find(exception, e => e is ProjectionBehindException) is not ProjectionBehindException behind)
        {
            return false;
        }

        logger.LogWarning("The projection is {Behind} events behind after the read's wait: answering 503.", behind.Wanted - behind.Reached);
        return await Problems.WriteUnavailableAsync(problemDetails, httpContext, RetryAfterSeconds, "Figures catching up",
            $"Events already stored are still being counted. Ask again in {RetryAfterSeconds} seconds.");
    }
}
