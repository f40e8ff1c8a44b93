using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;

namespace Lscb.CaseFlow.Api.Security;

/// <summary>
/// Who may call what. API keys from configuration (<c>CaseFlow:ApiKeys</c>); optionally JWT bearer tokens from a
/// council's identity provider (<c>CaseFlow:Jwt:Authority</c>, <c>:Audience</c>, roles from <c>:RoleClaim</c>,
/// the authority from <c>:TenantClaim</c>). Every endpoint needs a role, except <c>/health</c>; the dashboard's
/// static files are served before authorization.
/// </summary>
public static class CaseFlowSecurity
{
    private const string Selector = "CaseFlow";

    public static void AddCaseFlowSecurity(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        builder.Services.Configure<ApiKeyOptions>(configuration.GetSection("CaseFlow"));
        var jwtAuthority = configuration["CaseFlow:Jwt:Authority"];

        var authentication = builder.Services.AddAuthentication(Selector)
            .AddPolicyScheme(Selector, "API key or JWT", options => options.ForwardDefaultSelector = context =>
                jwtAuthority is not null && ApiKeyAuthenticationHandler.TryReadBearer(context.Request, out var token)
                    && ApiKeyAuthenticationHandler.LooksLikeJwt(token)
                    ? JwtBearerDefaults.AuthenticationScheme
                    : ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);

        if (jwtAuthority is not null)
        {
            authentication.AddJwtBearer(options =>
            {
                options.Authority = jwtAuthority;
                options.Audience = configuration["CaseFlow:Jwt:Audience"];
                options.MapInboundClaims = false;
                options.TokenValidationParameters.RoleClaimType = configuration["CaseFlow:Jwt:RoleClaim"] ?? "roles";
                options.TokenValidationParameters.NameClaimType = "name";
                var tenantClaim = configuration["CaseFlow:Jwt:TenantClaim"] ?? Caller.TenantClaim;
                options.Events = new JwtBearerEvents
                {
                    // The identity provider names the authority in its own claim; this service reads one name.
                    OnTokenValidated = context =>
                    {
                        if (context.Principal?.Identity is ClaimsIdentity identity && tenantClaim != Caller.TenantClaim
                            && identity.FindFirst(tenantClaim) is { } tenant)
                        {
                            identity.AddClaim(new Claim(Caller.TenantClaim, tenant.Value));
                        }

                        return Task.CompletedTask;
                    },
                };
            });
        }

        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
    }
}
