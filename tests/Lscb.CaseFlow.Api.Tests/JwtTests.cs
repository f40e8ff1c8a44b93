using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using Lscb.CaseFlow.Api.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Lscb.CaseFlow.Api.Tests;

/// <summary>A council's identity provider can sign callers in instead of an API key: roles and authority from its claims.</summary>
public sealed class JwtTests(CaseFlowApp app) : IClassFixture<CaseFlowApp>
{
    [Fact]
    public async Task a_token_from_the_identity_provider_gives_its_roles_and_its_authority()
    {
        using var analyst = Client(Token(["analyst"], authority: "E08000030"));
        var child = Ce.Subject();
        await app.IngestAsync(Ce.Batch(Ce.Contact(child, "2016-04-12", "CT-1")));

        var kpis = JsonFrom(await analyst.GetStringAsync("/api/kpis?from=2016-04-01&to=2016-06-30"));
        kpis["kpis"]!["contacts"]!["value"]!.GetValue<int>().ShouldBe(0, "the default authority's contact is not this authority's");
        (await analyst.GetAsync($"/api/children/{child}/journey")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task an_expired_or_forged_token_is_401()
    {
        using var expired = Client(Token(["analyst"], expires: DateTime.UtcNow.AddMinutes(-10)));
        using var forged = Client(Token(["analyst"], key: new SymmetricSecurityKey(new byte[32])));

        (await expired.GetAsync("/api/targets")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await forged.GetAsync("/api/targets")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    private HttpClient Client(string token)
    {
        var client = app.ClientFor(null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static string Token(string[] roles, string? authority = null, DateTime? expires = null, SecurityKey? key = null)
    {
        var claims = roles.Select(r => new Claim("roles", r)).Append(new Claim("name", "analyst@council.test")).Append(new Claim("sub", "user-1")).ToList();
        if (authority is not null)
        {
            claims.Add(new Claim("la", authority));
        }

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

    private static System.Text.Json.Nodes.JsonNode JsonFrom(string text) => System.Text.Json.Nodes.JsonNode.Parse(text)!;
}
