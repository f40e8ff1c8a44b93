using System.Net;
using System.Text.RegularExpressions;
using Lscb.CaseFlow.Api.Host.Security;
using Lscb.CaseFlow.Api.Tests.Infrastructure;

namespace Lscb.CaseFlow.Api.Tests.Host.OpenApi;

public sealed partial class ApiReferencePageTests(CaseFlowApp app) : IClassFixture<CaseFlowApp>
{
    [Fact]
    public async Task the_api_reference_page_is_served_without_a_key_under_the_content_security_policy()
    {
        using var anonymous = app.ClientFor(null);
        using var page = await anonymous.GetAsync("/api-reference/");
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.Headers.GetValues("Content-Security-Policy").Single().ShouldBe(Hardening.ContentSecurityPolicy);

        var html = await page.Content.ReadAsStringAsync();
        html.ShouldContain("http-equiv=\"Content-Security-Policy\"");
        html.ShouldNotContain("unsafe-inline");
        html.ShouldNotContain("unsafe-eval");

        // No inline script: every script is a file of this service.
        InlineScript().IsMatch(html).ShouldBeFalse();
    }

    [Fact]
    public async Task every_file_the_api_reference_page_names_is_served_from_this_service()
    {
        using var anonymous = app.ClientFor(null);
        var html = await anonymous.GetStringAsync("/api-reference/");

        var files = Reference().Matches(html).Select(m => m.Groups["url"].Value).ToList();
        files.ShouldContain(f => f.Contains("swagger-ui-bundle.js", StringComparison.Ordinal));
        files.ShouldContain(f => f.EndsWith("api-reference.js", StringComparison.Ordinal));
        foreach (var file in files)
        {
            // Never a CDN: relative to the page, on this origin.
            file.ShouldNotContain("//");
            using var response = await anonymous.GetAsync(new Uri(new Uri("http://localhost/api-reference/"), file));
            response.StatusCode.ShouldBe(HttpStatusCode.OK, file);
        }

        var script = await anonymous.GetStringAsync("/api-reference/api-reference.js");
        script.ShouldContain("'../openapi/v1.json'");
        script.ShouldNotContain("http");
    }

    [GeneratedRegex("""<script(?![^>]*\bsrc=)[^>]*>""")]
    private static partial Regex InlineScript();

    [GeneratedRegex("""(?:src|href)="(?<url>[^"]+)""")]
    private static partial Regex Reference();
}
