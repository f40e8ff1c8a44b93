using System.Net;
using Lscb.CaseFlow.Api.Tests.Infrastructure;

namespace Lscb.CaseFlow.Api.Tests;

/// <summary>Security headers, a correlation id on every response, and a rate limit per key.</summary>
public sealed class HardeningTests(CaseFlowApp app) : IClassFixture<CaseFlowApp>
{
    [Theory]
    [InlineData("/api/kpis?from=2016-04-01&to=2016-06-30", "all")]
    [InlineData("/api/kpis?from=2016-04-01&to=2016-06-30", null)]
    [InlineData("/health", null)]
    [InlineData("/", null)]
    public async Task every_response_carries_the_security_headers(string url, string? key)
    {
        using var client = app.ClientFor(key);
        using var response = await client.GetAsync(url);

        response.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"]);
        response.Headers.GetValues("X-Frame-Options").ShouldBe(["DENY"]);
        response.Headers.GetValues("Referrer-Policy").ShouldBe(["no-referrer"]);
        response.Headers.GetValues("Content-Security-Policy").Single().ShouldContain("frame-ancestors 'none'");
        response.Headers.Contains("Server").ShouldBeFalse();
        response.Headers.GetValues("X-Correlation-Id").Single().ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task api_answers_are_never_cached()
    {
        using var response = await app.Client.GetAsync("/api/kpis?from=2016-04-01&to=2016-06-30");

        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
    }

    [Fact]
    public async Task a_callers_correlation_id_is_kept_and_a_malformed_one_replaced()
    {
        using var kept = new HttpRequestMessage(HttpMethod.Get, "/health");
        kept.Headers.Add("X-Correlation-Id", "mash-batch-2016-04-12.7");
        using var hostile = new HttpRequestMessage(HttpMethod.Get, "/health");
        hostile.Headers.Add("X-Correlation-Id", "<script>alert(1)</script>");

        (await app.Client.SendAsync(kept)).Headers.GetValues("X-Correlation-Id").Single().ShouldBe("mash-batch-2016-04-12.7");
        (await app.Client.SendAsync(hostile)).Headers.GetValues("X-Correlation-Id").Single().ShouldMatch("^[0-9a-f]{32}$");
    }

    [Fact]
    public async Task a_key_that_sends_too_many_requests_gets_429_with_retry_after()
    {
        var limited = new CaseFlowApp { RateLimitPerMinute = 6 };
        await limited.InitializeAsync();
        try
        {
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 4; i++)
            {
                using var response = await limited.Client.GetAsync("/api/targets");
                statuses.Add(response.StatusCode);
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    response.Headers.RetryAfter.ShouldNotBeNull();
                }
            }

            statuses[0].ShouldBe(HttpStatusCode.OK);
            statuses.ShouldContain(HttpStatusCode.TooManyRequests);
            (await limited.Client.GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.OK, "health is never rate limited");
        }
        finally
        {
            await limited.DisposeAsync();
        }
    }
}
