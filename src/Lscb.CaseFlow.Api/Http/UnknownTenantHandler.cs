using JasperFx.MultiTenancy;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Lscb.CaseFlow.Api.Http;

/// <summary>
/// With a database per authority, an authority that was not configured (a JWT naming a tenant that neither
/// <c>CaseFlow:Tenancy:Databases</c>, <c>:DefaultDatabaseTenants</c> nor any API key names) has no database here: 403
/// problem details, never a 500, and nothing is read or stored anywhere.
/// </summary>
public sealed class UnknownTenantHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (httpContext.Response.HasStarted || DatabaseUnavailableHandler.Find(exception, e => e is UnknownTenantIdException) is null)
        {
            return false;
        }

        httpContext.Response.StatusCode = StatusCodes.Status403Forbidden;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "Authority not served",
                Detail = "This service holds no database for the caller's local authority.",
            },
        });
    }
}
