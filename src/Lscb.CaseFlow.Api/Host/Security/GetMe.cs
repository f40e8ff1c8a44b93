using System.Security.Claims;
using Lscb.CaseFlow.Api.Host.Security;
using Wolverine.Http;

namespace Lscb.CaseFlow.Api.Host.Security;

/// <summary>
/// <c>GET /api/me</c>: who the caller is to this service: its stable id (what the access log records), name, roles and
/// authority (any valid key or token).
/// </summary>
public static class GetMe
{
    [WolverineGet("/api/me")]
    public static object Get(ClaimsPrincipal user) => new
    {
        id = user.Id(),
        name = user.Name(),
        tenant = user.TenantId(),
        roles = Roles.All.Where(user.IsInRole).ToList(),
        sources = user.FindAll(Caller.SourceClaim).Select(c => c.Value).ToList(),
    };
}
