using System.Net;
using System.Reflection;
using System.Text;
using Alba;
using JasperFx.CodeGeneration;
using Lscb.CaseFlow.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;
using Wolverine.Http;

namespace Lscb.CaseFlow.Api.Tests.Host;

/// <summary>
/// Outside Development the API runs the code generated ahead of time into <c>Internal/Generated</c>
/// (<see cref="TypeLoadMode.Static"/>) and generates nothing itself, so a file that no longer matches the endpoints is
/// an endpoint answering 404, with no error anywhere. Here the API starts in Production, and every endpoint declared in
/// the code must be routed there and answer as it does when its code is generated at run time (Development).
/// </summary>
public sealed class StaticCodeTests(CaseFlowApp app) : IClassFixture<CaseFlowApp>, IAsyncLifetime
{
    private const string Regenerate = "The pre-generated code is stale: run deploy/local/codegen.sh and commit src/Lscb.CaseFlow.Api/Internal/Generated.";

    /// <summary>Route values that name something that exists, so that a 404 can only mean an endpoint is missing.</summary>
    private static readonly Dictionary<string, string> RouteValues = new(StringComparer.Ordinal)
    {
        ["childId"] = "NASEEM01",
        ["year"] = "2016",
        ["key"] = "icpc",
    };

    /// <summary>Every endpoint the code declares (a Wolverine route attribute), whatever the generated files say.</summary>
    private static readonly IReadOnlyList<(string Method, string Template)> Declared = typeof(Program).Assembly.GetTypes()
        .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
        .Select(m => m.GetCustomAttribute<WolverineHttpMethodAttribute>())
        .OfType<WolverineHttpMethodAttribute>()
        .Select(a => (a.HttpMethod, "/" + a.Template.TrimStart('/')))
        .OrderBy(r => r.Item2, StringComparer.Ordinal).ThenBy(r => Order(r.HttpMethod))
        .ToList();

    public async Task InitializeAsync()
    {
        if (await app.StoredEventCountAsync("NASEEM01") == 0)
        {
            await app.IngestAsync(Ce.Naseem());
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task in_production_the_api_runs_the_pre_generated_code_and_every_declared_endpoint_answers_as_in_development()
    {
        Declared.Count.ShouldBeGreaterThanOrEqualTo(16);
        app.Host.Services.GetRequiredService<WolverineOptions>().CodeGeneration.TypeLoadMode.ShouldBe(TypeLoadMode.Dynamic);

        await using var production = await app.StartHostAsync("Production");
        production.Services.GetRequiredService<WolverineOptions>().CodeGeneration.TypeLoadMode.ShouldBe(TypeLoadMode.Static);

        // Static loading registers only the endpoints of the generated registry: a new one is simply not routed.
        var routed = production.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (m, "/" + e.RoutePattern.RawText!.TrimStart('/'))))
            .ToHashSet();
        var missing = Declared.Where(d => !routed.Contains(d)).Select(d => $"{d.Method} {d.Template}").ToList();
        missing.ShouldBeEmpty(Regenerate);

        // Every endpoint called the same way on both: the same answer, whichever code runs it.
        var dynamic = await CallEveryEndpointAsync(app.Host);
        var statics = await CallEveryEndpointAsync(production);
        foreach (var (route, status) in dynamic)
        {
            statics[route].ShouldBe(status, $"{route} in Production. {Regenerate}");
        }

        // And the calls mean something: found, allowed and served, not refused or missing.
        dynamic.Where(d => d.Value is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed or HttpStatusCode.Unauthorized
                or HttpStatusCode.Forbidden || (int)d.Value >= 500)
            .Select(d => $"{d.Key}: {(int)d.Value}").ShouldBeEmpty();
    }

    /// <summary>Each declared endpoint once, in a fixed order (a target is set before it is deleted), with the all-roles key.</summary>
    private async Task<Dictionary<string, HttpStatusCode>> CallEveryEndpointAsync(IAlbaHost host)
    {
        using var client = app.ClientFor("all", host);
        var statuses = new Dictionary<string, HttpStatusCode>(StringComparer.Ordinal);
        foreach (var (method, template) in Declared)
        {
            var path = RouteValues.Aggregate(template, (p, v) => p.Replace($"{{{v.Key}}}", v.Value, StringComparison.Ordinal));
            path.ShouldNotContain("{", customMessage: $"{template}: give its route values a sample in {nameof(RouteValues)}");
            using var request = new HttpRequestMessage(new HttpMethod(method), path + (method == "GET" ? "?from=2016-04-01&to=2017-03-31" : ""));
            if (Body(method, template) is { } body)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            using var response = await client.SendAsync(request);
            statuses[$"{method} {template}"] = response.StatusCode;
        }

        return statuses;
    }

    private static string? Body(string method, string template) => (method, template) switch
    {
        ("POST", "/api/events") => Ce.Naseem().ToJsonString(),
        ("PUT", "/api/targets/{key}") => """{ "target": 0, "limit": 4, "direction": "lower" }""",
        ("PUT", "/api/reference/population/{year}") => """{ "children": 45200 }""",
        ("PUT" or "POST", _) => "{}",
        _ => null,
    };

    private static int Order(string method) => method switch { "GET" => 0, "POST" => 1, "PUT" => 2, "DELETE" => 3, _ => 4 };
}
