using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.IdentityModel.Tokens;

namespace Lscb.CaseFlow.Api.Host.Security;

/// <summary>
/// Who may call what. API keys from configuration (<c>CaseFlow:ApiKeys</c>); optionally JWT bearer tokens from a
/// council's identity provider (<c>CaseFlow:Jwt:Authority</c>, <c>:Audience</c>, roles from <c>:RoleClaim</c>,
/// the authority from <c>:TenantClaim</c>). Every endpoint needs a role, except <c>/health</c> and the OpenAPI description
/// (<c>/openapi/v1.json</c>); the static files are served before authorization.
/// </summary>
public static class CaseFlowSecurity
{
    private const string Selector = "CaseFlow";

    public static void AddCaseFlowSecurity(this WebApplicationBuilder builder, CaseFlowOptions settings)
    {
        var configuration = builder.Configuration;
        builder.Services.Configure<ApiKeyOptions>(configuration.GetSection("CaseFlow"));
        var jwt = settings.Jwt;
        var jwtAuthority = jwt.Authority;
        // A shared signing key instead of an identity provider's published keys: for closed networks and tests.
        var jwtSigningKey = jwt.SigningKey;
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
                options.Audience = jwt.Audience;
                if (jwtSigningKey is not null)
                {
                    options.TokenValidationParameters.IssuerSigningKey = new SymmetricSecurityKey(Convert.FromBase64String(jwtSigningKey));
                    options.TokenValidationParameters.ValidIssuer = jwt.Issuer;
                    options.TokenValidationParameters.ValidateIssuer = jwt.Issuer is not null;
                }

                options.MapInboundClaims = false;

                // A failed token gets a bare 401: why it failed (expired when, which key is missing) helps only an attacker.
                options.IncludeErrorDetails = false;
                options.TokenValidationParameters.RoleClaimType = jwt.RoleClaim ?? "roles";
                options.TokenValidationParameters.NameClaimType = "name";
                var tenantClaim = jwt.TenantClaim ?? Caller.TenantClaim;
                options.Events = new JwtBearerEvents
                {
                    OnTokenValidated = context =>
                    {
                        if (context.Principal?.Identity is not ClaimsIdentity identity)
                        {
                            context.Fail("No identity.");
                            return Task.CompletedTask;
                        }

                        // The caller is the identity provider's subject: without one, or with one that is not a plain id,
                        // it cannot be told apart from another caller, so it is not served.
                        var subject = identity.FindFirst("sub")?.Value;
                        var issuer = identity.FindFirst("iss")?.Value ?? context.SecurityToken.Issuer;
                        var authority = identity.FindFirst(tenantClaim)?.Value;
                        if (!IsPlainId(subject) || !IsPlainId(issuer) || (authority is not null && !IsPlainId(authority)))
                        {
                            context.Fail("The token names no usable subject or authority.");
                            return Task.CompletedTask;
                        }

                        // Only this service sets its own claims: a token's claims of the same names are dropped first, so
                        // that a token cannot name another caller id, or an authority beside the configured claim's.
                        foreach (var own in identity.Claims.Where(c => c.Type == Caller.IdClaim
                                     || (c.Type == Caller.TenantClaim && tenantClaim != Caller.TenantClaim)).ToList())
                        {
                            identity.RemoveClaim(own);
                        }

                        identity.AddClaim(new Claim(Caller.IdClaim, $"jwt:{issuer}|{subject}"));

                        // The identity provider names the authority in its own claim; this service reads one name.
                        if (tenantClaim != Caller.TenantClaim && authority is not null)
                        {
                            identity.AddClaim(new Claim(Caller.TenantClaim, authority));
                        }

                        return Task.CompletedTask;
                    },
                };
            });
        }

        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in settings.ApiKeys)
        {
            if (key.Key.Length < ApiKeyAuthenticationHandler.MinimumKeyLength)
            {
                // Said once, at start, by name: a short key is guessable and is never accepted.
                Console.Error.WriteLine($"API key '{key.Name}' is shorter than {ApiKeyAuthenticationHandler.MinimumKeyLength} characters and is ignored.");
            }
            else if (!ids.TryAdd(ApiKeyAuthenticationHandler.IdOf(key.Key), key.Name))
            {
                // One key under two entries would be whichever matched last, perhaps of another authority: never guessed.
                throw new InvalidOperationException(
                    $"API keys '{ids[ApiKeyAuthenticationHandler.IdOf(key.Key)]}' and '{key.Name}' are the same key (or share its fingerprint): give each its own.");
            }
        }

        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
    }

    /// <summary>An issuer or subject fit for a caller id: 1–256 characters, no control character, no <c>|</c> (the id's separator).</summary>
    private static bool IsPlainId(string? text) =>
        text is { Length: > 0 and <= 256 } && !text.Any(c => char.IsControl(c) || c == '|') && !string.IsNullOrWhiteSpace(text);
}
