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
    [EndpointSummary("Who the caller is: its id, name, authority, roles and sources")]
    public static MeResponse Get(ClaimsPrincipal user) => new(
        user.Id(),
        user.Name(),
        user.TenantId(),
        Roles.All.Where(user.IsInRole).ToList(),
        user.FindAll(Caller.SourceClaim).Select(c => c.Value).ToList());

    /// <summary>The caller: the sources it may send events from, its roles and its authority (tenant).</summary>
    public sealed record MeResponse(string Id, string Name, string Tenant, IReadOnlyList<string> Roles, IReadOnlyList<string> Sources);
}
