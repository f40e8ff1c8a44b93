using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using Lscb.CaseFlow.Api.Host.OpenApi;
using Lscb.CaseFlow.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace Lscb.CaseFlow.Api.Tests.Host.OpenApi;

public sealed partial class OpenApiDocumentTests(CaseFlowApp app) : IClassFixture<CaseFlowApp>
{
    [Fact]
    public async Task the_openapi_document_is_served_without_a_key_and_parses_as_openapi_3_1()
    {
        var text = await DocumentTextAsync();

        var read = OpenApiDocument.Parse(text, OpenApiConstants.Json, new OpenApiReaderSettings());
        read.Diagnostic.ShouldNotBeNull();
        read.Diagnostic.Errors.ShouldBeEmpty();
        read.Diagnostic.SpecificationVersion.ShouldBe(OpenApiSpecVersion.OpenApi3_1);
        read.Document.ShouldNotBeNull();
        read.Document.Paths.ShouldNotBeEmpty();
        read.Document.Components!.SecuritySchemes!.Keys.ShouldBe([CaseFlowOpenApi.ApiKeyScheme, CaseFlowOpenApi.JwtScheme], ignoreOrder: true);
    }

    [Fact]
    public async Task every_routed_endpoint_is_in_the_openapi_document()
    {
        var document = await DocumentAsync();
        var paths = document["paths"]!.AsObject();

        var routed = RoutedEndpoints().ToList();
        routed.ShouldNotBeEmpty();
        routed.Count.ShouldBe(paths.Sum(p => p.Value!.AsObject().Count));
        foreach (var (method, path, _) in routed)
        {
            paths.ContainsKey(path).ShouldBeTrue($"{path} is routed but not described");
            paths[path]!.AsObject().ContainsKey(method.ToLowerInvariant()).ShouldBeTrue($"{method} {path} is routed but not described");
        }
    }

    [Fact]
    public async Task every_operation_says_the_roles_it_needs_and_the_problems_it_answers()
    {
        var document = await DocumentAsync();
        foreach (var (method, path, endpoint) in RoutedEndpoints())
        {
            var operation = document["paths"]![path]![method.ToLowerInvariant()]!;
            var responses = operation["responses"]!.AsObject();
            if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            {
                operation["security"].ShouldBeNull($"{method} {path} is anonymous");
                continue;
            }

            var roles = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>()
                .SelectMany(a => (a.Roles ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)).ToList();
            operation["x-roles"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldBe(roles, ignoreOrder: true);
            operation["description"]!.GetValue<string>().ShouldContain("Roles: ");
            operation["security"]!.AsArray().SelectMany(r => r!.AsObject().Select(s => s.Key))
                .ShouldBe([CaseFlowOpenApi.ApiKeyScheme, CaseFlowOpenApi.JwtScheme], ignoreOrder: true);
            foreach (var status in new[] { "401", "403", "429" })
            {
                responses[status]!["content"]![CaseFlowOpenApi.ProblemMediaType]!["schema"]!["$ref"]!.GetValue<string>()
                    .ShouldBe("#/components/schemas/ProblemDetails", $"{method} {path} {status}");
            }

            // A success is a declared type, never an unnamed object.
            var success = responses.Where(r => r.Key is "200" or "204").ToList();
            success.ShouldNotBeEmpty($"{method} {path}");
            if (responses["200"]?["content"]?["application/json"] is { } json)
            {
                json["schema"]!.ToJsonString().ShouldNotBe("{}", $"{method} {path}");
            }
        }

        document["components"]!["schemas"]!.AsObject().ContainsKey("IResult").ShouldBeFalse();
    }

    [Fact]
    public async Task every_operation_has_a_summary_of_its_own_and_its_features_tag()
    {
        var document = await DocumentAsync();
        var tags = document["tags"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).ToList();
        foreach (var (method, path, _) in RoutedEndpoints())
        {
            var operation = document["paths"]![path]![method.ToLowerInvariant()]!;
            var summary = operation["summary"]?.GetValue<string>();
            summary.ShouldNotBeNullOrWhiteSpace($"{method} {path}");
            summary.ShouldNotBe(operation["operationId"]?.GetValue<string>(), $"{method} {path}");
            var tag = operation["tags"]!.AsArray().Single()!.GetValue<string>();
            tags.ShouldContain(tag);
        }

        tags.ShouldBe(["Audit", "DataQuality", "Health", "Importing", "Ingesting", "Journeys", "Kpis", "Reference", "Reports", "Security"]);
    }

    public static TheoryData<string, string, string, string?> FixedShapes() => new()
    {
        // name, example, path, where in the operation ("request:<media type>" or a status)
        { "a batch", Examples.Batch, "/api/events#post", "request:application/cloudevents-batch+json" },
        { "a batch as application/json", Examples.Batch, "/api/events#post", "request:application/json" },
        { "one event (structured mode)", Examples.Event, "/api/events#post", "request:application/cloudevents+json" },
        { "one event as application/json", Examples.Event, "/api/events#post", "request:application/json" },
        { "an event's data (binary mode)", """{ "occurredOn": "2016-04-13", "contactId": "CT-2001", "decision": "section-47" }""", "/api/events#post", "request:application/json" },
        { "a batch's answer", Examples.Accepted, "/api/events#post", "200" },
        { "a population", Examples.Population, "/api/reference/population/{year}#put", "request:application/json" },
        { "the KPIs of a window", Examples.Kpis, "/api/kpis#get", "200" },
        { "a journey", Examples.Journey, "/api/children/{childId}/journey#get", "200" },
    };

    [Theory]
    [MemberData(nameof(FixedShapes))]
    public async Task every_fixed_shape_of_the_contract_validates_against_its_schema(string name, string example, string operation, string? where)
    {
        var document = await DocumentAsync();
        var schema = SchemaAt(document, operation, where!);

        var results = schema.Evaluate(JsonDocument.Parse(example).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        results.IsValid.ShouldBeTrue($"{name}: {JsonSerializer.Serialize(results)}");
    }

    [Fact]
    public async Task posting_events_describes_the_binary_modes_ce_headers()
    {
        var document = await DocumentAsync();
        var headers = document["paths"]!["/api/events"]!["post"]!["parameters"]!.AsArray()
            .Where(p => p!["in"]!.GetValue<string>() == "header")
            .ToDictionary(p => p!["name"]!.GetValue<string>(), p => p!["required"]?.GetValue<bool>() ?? false);

        headers.Keys.ShouldBe(
            ["ce-specversion", "ce-id", "ce-source", "ce-type", "ce-subject", "ce-time", "ce-dataschema", "ce-traceparent", "ce-tracestate"],
            ignoreOrder: true);
        headers.Values.ShouldAllBe(required => !required);
    }

    [Fact]
    public async Task the_producers_guides_refused_batch_is_what_the_document_describes()
    {
        var guide = Path.Combine(Repository(), "docs", "producers.md");
        var text = await File.ReadAllTextAsync(guide);
        var start = text.IndexOf("## Reading a 400", StringComparison.Ordinal);
        var json = text[(text.IndexOf("```json", start, StringComparison.Ordinal) + "```json".Length)..];
        json = json[..json.IndexOf("```", StringComparison.Ordinal)];

        var document = await DocumentAsync();
        var refused = document["paths"]!["/api/events"]!["post"]!["responses"]!["400"]!["content"]![CaseFlowOpenApi.ProblemMediaType]!["schema"]!;
        var schema = SchemaFor(document, refused);
        var results = schema.Evaluate(JsonDocument.Parse(json).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        results.IsValid.ShouldBeTrue(JsonSerializer.Serialize(results));
    }

    [Fact]
    public async Task a_shape_that_breaks_the_contract_does_not_validate()
    {
        var document = await DocumentAsync();
        var accepted = SchemaAt(document, "/api/events#post", "200");
        accepted.Evaluate(JsonDocument.Parse("""{ "accepted": "two" }""").RootElement).IsValid.ShouldBeFalse();

        var batch = SchemaAt(document, "/api/events#post", "request:application/cloudevents-batch+json");
        batch.Evaluate(JsonDocument.Parse("""[{ "specversion": "1.0", "id": "x", "source": "s", "type": "contact", "subject": "no spaces", "data": {} }]""").RootElement)
            .IsValid.ShouldBeFalse();
    }

    [Fact]
    public void the_examples_are_the_contracts_own_where_the_contract_is_at_hand()
    {
        // The contract lives beside the repository (../shared/spec); a clone without it still checks the copies above.
        var spec = Spec();
        if (spec is null)
        {
            return;
        }

        foreach (var example in new[] { Examples.Batch, Examples.Kpis, Examples.Journey })
        {
            Squeezed(spec).ShouldContain(Squeezed(example));
        }
    }

    [Fact]
    public async Task each_fixed_shape_carries_its_example()
    {
        var document = await DocumentAsync();
        foreach (var name in new[] { "CloudEventEnvelope", "BatchAccepted", "PopulationEstimate", "KpisResponse", "JourneyResponse" })
        {
            document["components"]!["schemas"]![name]!["examples"]!.AsArray().ShouldNotBeEmpty(name);
        }
    }

    private IEnumerable<(string Method, string Path, RouteEndpoint Endpoint)> RoutedEndpoints() =>
        app.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true })
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m =>
                (m, "/" + (e.RoutePattern.RawText ?? "").TrimStart('/'), e)));

    private static JsonSchema SchemaAt(JsonNode document, string operation, string where)
    {
        var (path, method) = (operation.Split('#')[0], operation.Split('#')[1]);
        var op = document["paths"]![path]![method]!;
        var target = where.StartsWith("request:", StringComparison.Ordinal)
            ? op["requestBody"]!["content"]![where["request:".Length..]]!["schema"]!
            : op["responses"]![where]!["content"]!["application/json"]!["schema"]!;
        return SchemaFor(document, target);
    }

    private static JsonSchema SchemaFor(JsonNode document, JsonNode target)
    {

        // The components' schemas as $defs of one JSON Schema (2020-12, as OpenAPI 3.1's are).
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$defs"] = document["components"]!["schemas"]!.DeepClone(),
            ["allOf"] = new JsonArray(target.DeepClone()),
        };
        var text = root.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
        return JsonSchema.FromText(text);
    }

    private async Task<string> DocumentTextAsync()
    {
        using var anonymous = app.ClientFor(null);
        using var response = await anonymous.GetAsync("/openapi/v1.json");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<JsonNode> DocumentAsync() => JsonNode.Parse(await DocumentTextAsync())!;

    private static string Repository()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "Lscb.CaseFlow.sln")))
        {
            dir = dir.Parent;
        }

        return dir.FullName;
    }

    private static string? Spec()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var spec = Path.Combine(dir.FullName, "shared", "spec");
            if (Directory.Exists(spec))
            {
                return string.Concat(Directory.GetFiles(spec, "*.md").Order(StringComparer.Ordinal).Select(File.ReadAllText));
            }
        }

        return null;
    }

    private static string Squeezed(string text) => Whitespace().Replace(text, "");

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
