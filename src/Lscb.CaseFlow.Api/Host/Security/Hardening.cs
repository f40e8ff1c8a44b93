using System.Text.RegularExpressions;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Lscb.CaseFlow.Api.Host.Security;

/// <summary>
/// What every response gets whatever the endpoint: request limits, a rate limit per caller, security headers, a
/// correlation id in the logs and on the response, and JSON logs outside development.
/// </summary>
public static partial class Hardening
{
    public const string CorrelationHeader = "X-Correlation-Id";

    /// <summary>The dashboard's policy: its own scripts and styles only, nothing framed, nothing inline.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; "
        + "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    public static void AddCaseFlowHardening(this WebApplicationBuilder builder, CaseFlowOptions settings)
    {
        // The events endpoint refuses bodies over 10 MB itself, with a problem; nothing else takes more.
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = 11 * 1024 * 1024;
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            kestrel.AddServerHeader = false;
        });

        // JSON for log collectors outside development; CaseFlow:Logging:Json=false keeps them readable on a terminal.
        if (!builder.Environment.IsDevelopment() && settings.Logging.Json)
        {
            builder.Logging.AddJsonConsole(options => options.IncludeScopes = true);
        }

        var (perCaller, anonymous, health) =
            (settings.RateLimit.PermitsPerMinute, settings.RateLimit.AnonymousPermitsPerMinute, settings.RateLimit.HealthPermitsPerMinute);
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => Partition(context, perCaller, anonymous, health));
            options.OnRejected = async (context, ct) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "10";
                await Results.Problem(statusCode: 429, title: "Too many requests", detail: "This caller has sent too many requests; try again shortly.")
                    .ExecuteAsync(context.HttpContext);
            };
        });
    }

    /// <summary>
    /// Which bucket a request draws from. A caller's is its authority and stable id (<see cref="Caller.Id"/>), never its
    /// display name: two authorities' keys both named "mash", or a token and a key both named "analyst", never share one.
    /// Anonymous calls count per address; <c>/health</c> has a bucket of its own per address, generous enough for any
    /// load balancer's or kubelet's probes, so that a flood of it is refused without touching the API's; <c>/health/live</c>
    /// (no database) is never limited.
    /// </summary>
    public static RateLimitPartition<string> Partition(HttpContext context, int perCaller, int anonymous, int health)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/health/live"))
        {
            return RateLimitPartition.GetNoLimiter("live");
        }

        if (path.StartsWithSegments("/health"))
        {
            return Bucket($"health:{context.Connection.RemoteIpAddress}", health);
        }

        return context.User.Identity?.IsAuthenticated == true
            ? Bucket($"caller:{context.User.TenantId()}|{context.User.Id()}", perCaller)
            : Bucket($"ip:{context.Connection.RemoteIpAddress}", anonymous);
    }

    /// <summary>Correlation and security headers: first, so that every response has them, errors included.</summary>
    public static void UseCorrelationAndSecurityHeaders(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Lscb.CaseFlow.Requests");
        app.Use(async (context, next) =>
        {
            var presented = context.Request.Headers[CorrelationHeader].ToString();
            var correlationId = CorrelationPattern().IsMatch(presented) ? presented : Guid.NewGuid().ToString("N");
            context.TraceIdentifier = correlationId;
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers[CorrelationHeader] = correlationId;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                headers["Cross-Origin-Resource-Policy"] = "same-origin";
                if (string.IsNullOrEmpty(headers.ContentSecurityPolicy))
                {
                    headers.ContentSecurityPolicy = ContentSecurityPolicy;
                }

                if (context.Request.Path.StartsWithSegments("/api"))
                {
                    // Children's data is never cached by a browser or a proxy.
                    headers.CacheControl = "no-store";
                }

                return Task.CompletedTask;
            });

            using (logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = correlationId }))
            {
                await next(context);
            }
        });
    }

    private static RateLimitPartition<string> Bucket(string partition, int permitsPerMinute) =>
        RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, permitsPerMinute / 6),
            TokensPerPeriod = Math.Max(1, permitsPerMinute / 6),
            ReplenishmentPeriod = TimeSpan.FromSeconds(10),
            QueueLimit = 0,
            AutoReplenishment = true,
        });

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,64}\z")]
    private static partial Regex CorrelationPattern();
}
