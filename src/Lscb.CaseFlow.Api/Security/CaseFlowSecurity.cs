using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.IdentityModel.Tokens;

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
        // A shared signing key instead of an identity provider's published keys: for closed networks and tests.
        var jwtSigningKey = configuration["CaseFlow:Jwt:SigningKey"];
        var jwtEnabled = jwtAuthority is not null || jwtSigningKey is not null;

        var authentication = builder.Services.AddAuthentication(Selector)
            .AddPolicyScheme(Selector, "API key or JWT", options => options.ForwardDefaultSelector = context =>
                jwtEnabled && ApiKeyAuthenticationHandler.TryReadBearer(context.Request, out var token)
                    && ApiKeyAuthenticationHandler.LooksLikeJwt(token)
                    ? JwtBearerDefaults.AuthenticationScheme
                    : ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);

        if (jwtEnabled)
        {
            authentication.AddJwtBearer(options =>
            {
                options.Authority = jwtAuthority;
                options.Audience = configuration["CaseFlow:Jwt:Audience"];
                if (jwtSigningKey is not null)
                {
                    options.TokenValidationParameters.IssuerSigningKey = new SymmetricSecurityKey(Convert.FromBase64String(jwtSigningKey));
                    options.TokenValidationParameters.ValidIssuer = configuration["CaseFlow:Jwt:Issuer"];
                    options.TokenValidationParameters.ValidateIssuer = configuration["CaseFlow:Jwt:Issuer"] is not null;
                }

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

        foreach (var key in configuration.GetSection("CaseFlow:ApiKeys").Get<List<ApiKey>>() ?? [])
        {
            if (key.Key.Length < ApiKeyAuthenticationHandler.MinimumKeyLength)
            {
                // Said once, at start, by name: a short key is guessable and is never accepted.
                Console.Error.WriteLine($"API key '{key.Name}' is shorter than {ApiKeyAuthenticationHandler.MinimumKeyLength} characters and is ignored.");
            }
        }

        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
    }
}
