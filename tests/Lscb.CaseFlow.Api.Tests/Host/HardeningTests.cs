using System.Net;
using Lscb.CaseFlow.Api.Tests.Infrastructure;

namespace Lscb.CaseFlow.Api.Tests.Host;

/// <summary>Security headers, a correlation id on every response, and a rate limit per caller, per authority.</summary>
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
    public async Task a_problem_carries_the_correlation_id_it_is_logged_under()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/kpis?from=2016-04-01&to=nonsense");
        request.Headers.Add("X-Correlation-Id", "mash-batch-2016-04-12.8");

        using var response = await app.Client.SendAsync(request);

        (await CaseFlowApp.ProblemOf(response))["traceId"]!.GetValue<string>().ShouldBe("mash-batch-2016-04-12.8");
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
            (await limited.Client.GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.OK, "health has a bucket of its own");
        }
        finally
        {
            await limited.DisposeAsync();
        }
    }

    /// <summary>Two authorities' keys both named "dup", and a token named as the "analyst" key is.</summary>
    private static readonly (string Name, string Key, string[] Roles, string? Tenant)[] SameNames =
    [
        ("dup", "test-key-dup-of-authority-29-0123456789", ["analyst"], "E08000029"),
        ("dup", "test-key-dup-of-authority-30-0123456789", ["analyst"], "E08000030"),
    ];

    [Fact]
    public async Task callers_sharing_a_name_never_share_a_bucket()
    {
        // One request per 10 s per bucket: the second call of a caller is refused, a first call never is.
        var limited = new CaseFlowApp { RateLimitPerMinute = 6, MoreKeys = SameNames };
        await limited.InitializeAsync();
        try
        {
            using var dup29 = limited.ClientWithToken(SameNames[0].Key);
            using var dup30 = limited.ClientWithToken(SameNames[1].Key);
            using var analystKey = limited.ClientFor("analyst");
            using var analystToken = limited.ClientWithToken(Tokens.Make(["analyst"], name: "analyst"));

            (await dup29.GetAsync("/api/targets")).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await dup29.GetAsync("/api/targets")).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
            (await dup30.GetAsync("/api/targets")).StatusCode.ShouldBe(HttpStatusCode.OK, "another authority's key of the same name has a bucket of its own");

            (await analystKey.GetAsync("/api/targets")).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await analystKey.GetAsync("/api/targets")).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
            (await analystToken.GetAsync("/api/targets")).StatusCode.ShouldBe(HttpStatusCode.OK, "a token named 'analyst' is not the 'analyst' key");
            (await analystToken.GetAsync("/api/targets")).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        }
        finally
        {
            await limited.DisposeAsync();
        }
    }

    [Fact]
    public async Task the_same_key_configured_twice_stops_the_service_at_start()
    {
        // Under another name and authority: whichever entry matched last would decide who the caller is.
        var twice = new CaseFlowApp { MoreKeys = [("analyst-elsewhere", CaseFlowApp.Keys["analyst"].Key, ["analyst"], "E08000030")] };

        var refused = await Should.ThrowAsync<Exception>(twice.InitializeAsync);

        refused.ToString().ShouldContain("are the same key");
        refused.ToString().ShouldNotContain(CaseFlowApp.Keys["analyst"].Key, Case.Sensitive, "a key is never said");
        await twice.DisposeAsync();
    }

    [Fact]
    public async Task an_anonymous_flood_of_health_gets_429_while_health_live_never_does()
    {
        // 60 a minute: a burst of 10, then one more every second. A probe every few seconds never meets it.
        var limited = new CaseFlowApp { HealthPermitsPerMinute = 60 };
        await limited.InitializeAsync();
        try
        {
            using var anonymous = limited.ClientFor(null);
            var health = new List<HttpResponseMessage>();
            for (var i = 0; i < 30; i++)
            {
                health.Add(await anonymous.GetAsync("/health"));
            }

            health.Take(10).ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK);
            var refused = health.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
            refused.Count.ShouldBeGreaterThanOrEqualTo(15);
            refused.ShouldAllBe(r => r.Headers.RetryAfter != null);

            for (var i = 0; i < 200; i++)
            {
                using var live = await anonymous.GetAsync("/health/live");
                live.StatusCode.ShouldBe(HttpStatusCode.OK);
            }

            (await limited.Client.GetAsync("/api/targets")).StatusCode.ShouldBe(HttpStatusCode.OK, "the API's buckets are untouched");
            health.ForEach(r => r.Dispose());
        }
        finally
        {
            await limited.DisposeAsync();
        }
    }
}
