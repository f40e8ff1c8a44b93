using System.Net;
using System.Net.Http.Headers;
using Lscb.CaseFlow.Api.Tests.Infrastructure;
using Microsoft.IdentityModel.Tokens;

namespace Lscb.CaseFlow.Api.Tests.Host;

/// <summary>A council's identity provider can sign callers in instead of an API key: roles and authority from its claims.</summary>
public sealed class JwtTests(CaseFlowApp app) : IClassFixture<CaseFlowApp>
{
    [Fact]
    public async Task a_token_from_the_identity_provider_gives_its_roles_and_its_authority()
    {
        using var analyst = app.ClientWithToken(Tokens.Make(["analyst"], authority: "E08000030"));
        var child = Ce.Subject();
        await app.IngestAsync(Ce.Batch(Ce.Contact(child, "2016-04-12", "CT-1")));

        var kpis = JsonFrom(await analyst.GetStringAsync("/api/kpis?from=2016-04-01&to=2016-06-30"));
        kpis["kpis"]!["contacts"]!["value"]!.GetValue<int>().ShouldBe(0, "the default authority's contact is not this authority's");
        (await analyst.GetAsync($"/api/children/{child}/journey")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task an_expired_or_forged_token_is_401()
    {
        using var expired = app.ClientWithToken(Tokens.Make(["analyst"], expires: DateTime.UtcNow.AddMinutes(-10)));
        using var forged = app.ClientWithToken(Tokens.Make(["analyst"], key: new SymmetricSecurityKey(new byte[32])));

        (await expired.GetAsync("/api/targets")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await forged.GetAsync("/api/targets")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("expired")]
    [InlineData("forged")]
    [InlineData("no subject")]
    [InlineData("tampered")]
    public async Task a_failed_token_gets_a_bare_401_that_says_nothing_of_why(string what)
    {
        var token = what switch
        {
            "expired" => Tokens.Make(["analyst"], expires: DateTime.UtcNow.AddMinutes(-10)),
            "forged" => Tokens.Make(["analyst"], key: new SymmetricSecurityKey(new byte[32])),
            "no subject" => Tokens.Make(["analyst"], subject: null),
            _ => Tampered(Tokens.Make(["analyst"])),
        };
        using var client = app.ClientWithToken(token);

        using var response = await client.GetAsync("/api/targets");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, what);
        var challenge = string.Join(", ", response.Headers.WwwAuthenticate.Select(h => h.ToString()));
        challenge.ShouldStartWith("Bearer");
        challenge.ShouldNotContain("error", Case.Insensitive, "why a token failed helps only whoever is trying tokens");
        (await response.Content.ReadAsStringAsync()).ShouldNotContain("IDX");
    }

    [Fact]
    public async Task a_token_without_a_subject_is_401_because_its_caller_cannot_be_told_apart()
    {
        using var anonymous = app.ClientWithToken(Tokens.Make(["analyst", "auditor"], subject: null));
        using var blank = app.ClientWithToken(Tokens.Make(["analyst", "auditor"], subject: " "));
        using var forging = app.ClientWithToken(Tokens.Make(["analyst", "auditor"], subject: "someone|else"));

        (await anonymous.GetAsync("/api/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await blank.GetAsync("/api/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await forging.GetAsync("/api/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "'|' separates issuer and subject in the caller id");
    }

    [Fact]
    public async Task a_tokens_caller_id_is_its_issuer_and_subject_whatever_claims_it_carries_of_this_services_names()
    {
        // A token naming a key's caller id and another authority in this service's own claim names: both ignored.
        using var client = app.ClientWithToken(Tokens.Make(["auditor"], authority: "E08000030", subject: "auditor-7",
            more: [("caseflow:caller", $"key:{Convert.ToHexStringLower(new byte[8])}"), ("tenant", "*DEFAULT*")]));

        var me = JsonFrom(await client.GetStringAsync("/api/me"));
        me["id"]!.GetValue<string>().ShouldBe($"jwt:{CaseFlowApp.JwtIssuer}|auditor-7");
        me["tenant"]!.GetValue<string>().ShouldBe("E08000030", "the authority is the configured claim's (la), never a 'tenant' claim beside it");

        var child = Ce.Subject();
        (await client.GetAsync($"/api/children/{child}/journey?reason=audit")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using var admin = app.ClientFor("other-authority");
        var read = JsonFrom(await admin.GetStringAsync($"/api/audit/journey-reads?childId={child}"))["reads"]!.AsArray().ShouldHaveSingleItem()!;
        read["callerId"]!.GetValue<string>().ShouldBe($"jwt:{CaseFlowApp.JwtIssuer}|auditor-7");
        read["keyName"]!.GetValue<string>().ShouldBe("analyst@council.test");
    }

    /// <summary>The same token with one character of its signature changed.</summary>
    private static string Tampered(string token) => token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1];

    private static System.Text.Json.Nodes.JsonNode JsonFrom(string text) => System.Text.Json.Nodes.JsonNode.Parse(text)!;
}
