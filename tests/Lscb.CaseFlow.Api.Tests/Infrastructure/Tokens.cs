using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Lscb.CaseFlow.Api.Tests.Infrastructure;

/// <summary>Tokens of the test identity provider (<see cref="CaseFlowApp.JwtSigningKey"/>), or forged ones.</summary>
public static class Tokens
{
    public const string DefaultSubject = "user-1";

    public static string Make(
        string[] roles, string? authority = null, DateTime? expires = null, SecurityKey? key = null, string name = "analyst@council.test",
        string? subject = DefaultSubject, params (string Type, string Value)[] more)
    {
        var claims = roles.Select(r => new Claim("roles", r)).Append(new Claim("name", name)).ToList();
        if (subject is not null)
        {
            claims.Add(new Claim("sub", subject));
        }

        if (authority is not null)
        {
            claims.Add(new Claim("la", authority));
        }

        claims.AddRange(more.Select(c => new Claim(c.Type, c.Value)));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = CaseFlowApp.JwtIssuer,
            Audience = CaseFlowApp.JwtAudience,
            Subject = new ClaimsIdentity(claims),
            NotBefore = (expires ?? DateTime.UtcNow.AddHours(1)).AddHours(-2),
            Expires = expires ?? DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(key ?? new SymmetricSecurityKey(Convert.FromBase64String(CaseFlowApp.JwtSigningKey)), SecurityAlgorithms.HmacSha256),
        });
    }
}
