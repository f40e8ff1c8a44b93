using Lscb.CaseFlow.Api.Host.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Lscb.CaseFlow.Api.Host.OpenApi;

/// <summary>
/// The OpenAPI 3.1 description at <c>GET /openapi/v1.json</c>, built by ASP.NET Core from the endpoints' declared request
/// and response types (Wolverine feeds its endpoints to the API explorer). Anonymous: it is the contract, and it names no
/// data. What the types cannot say (who may call, the problems an endpoint answers with, the fixed shapes' examples) is
/// added here.
/// </summary>
public static class CaseFlowOpenApi
{
    public const string DocumentName = "v1";

    public const string Route = "/openapi/{documentName}.json";

    /// <summary>A configured API key, sent as a bearer token.</summary>
    public const string ApiKeyScheme = "apiKey";

    /// <summary>A council identity provider's token, when <c>CaseFlow:Jwt</c> is configured.</summary>
    public const string JwtScheme = "jwt";

    public const string ProblemMediaType = "application/problem+json";

    public static void AddCaseFlowOpenApi(this WebApplicationBuilder builder) =>
        builder.Services.AddOpenApi(DocumentName, options =>
        {
            options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Lscb.CaseFlow",
                    Version = "v1",
                    Description = "Case events in (CloudEvents), safeguarding KPIs, pathways and journeys out. "
                        + "Every /api call needs an API key or a JWT, sent as 'Authorization: Bearer …', whose roles allow it; "
                        + "each operation names the roles it takes (x-roles). Errors are RFC 9457 problem details.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "API key",
                    Description = "An API key from CaseFlow:ApiKeys (at least 24 characters), as 'Authorization: Bearer <key>'. "
                        + "The key's roles, sources and authority come from its configuration.",
                };
                document.Components.SecuritySchemes[JwtScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "JWT",
                    Description = "A token from the council's identity provider (CaseFlow:Jwt:Authority and :Audience), as "
                        + "'Authorization: Bearer <jwt>'. Roles from the claim CaseFlow:Jwt:RoleClaim (default 'roles'), "
                        + "the authority from CaseFlow:Jwt:TenantClaim.",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer(DescribeAccessAndProblemsAsync);
            options.AddDocumentTransformer((document, _, _) =>
            {
                // The tags the operations carry now (by feature), in order, rather than the handler classes'.
                document.Tags = new HashSet<OpenApiTag>(
                    document.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? [])
                        .SelectMany(o => o.Tags ?? new HashSet<OpenApiTagReference>())
                        .Select(t => t.Name).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
                        .Select(name => new OpenApiTag { Name = name }));
                return Task.CompletedTask;
            });
            options.AddSchemaTransformer(Schemas.ApplyAsync);
        });

    public static void MapCaseFlowOpenApi(this WebApplication app) =>
        app.MapOpenApi(Route).AllowAnonymous();

    private static async Task DescribeAccessAndProblemsAsync(
        OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        var roles = metadata.OfType<IAuthorizeData>()
            .SelectMany(a => (a.Roles ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var path = "/" + (context.Description.RelativePath ?? "");

        // Wolverine fills summary and description with the operation id; the endpoint's own summary says more.
        operation.Summary = metadata.OfType<IEndpointSummaryMetadata>().LastOrDefault()?.Summary ?? operation.Summary;
        operation.Description = metadata.OfType<IEndpointDescriptionMetadata>().LastOrDefault()?.Description;
        if (Feature(context) is { } feature)
        {
            operation.Tags = new HashSet<OpenApiTagReference> { new(feature, context.Document) };
        }

        operation.Responses ??= new OpenApiResponses();
        var problem = await ProblemSchemaAsync(context, ct);
        if (!anonymous)
        {
            // Either scheme does; a role list of none means any authenticated caller (the fallback policy).
            operation.Security = [Requirement(ApiKeyScheme, context.Document), Requirement(JwtScheme, context.Document)];
            operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
            operation.Extensions["x-roles"] = new JsonNodeExtension(new System.Text.Json.Nodes.JsonArray([.. roles.Select(r => (System.Text.Json.Nodes.JsonNode?)r)]));
            var line = roles.Count == 0 ? "Roles: any authenticated caller." : $"Roles: {string.Join(" or ", roles)}.";
            operation.Description = string.IsNullOrEmpty(operation.Description) ? line : $"{operation.Description}\n\n{line}";
            AddProblem(operation, problem, StatusCodes.Status401Unauthorized, "No valid API key or token.");
            AddProblem(operation, problem, StatusCodes.Status403Forbidden, "The caller's roles do not allow this.");
        }

        if (path.StartsWith("/api", StringComparison.Ordinal) || path == "/health")
        {
            AddProblem(operation, problem, StatusCodes.Status429TooManyRequests, "Past the caller's rate limit: wait Retry-After seconds and send the same request again.");
        }

        if (HasInput(context))
        {
            AddProblem(operation, problem, StatusCodes.Status400BadRequest, "A parameter or the body breaks the contract; the problem says which.");
        }

        if (path.StartsWith("/api", StringComparison.Ordinal) && path != "/api/me")
        {
            AddProblem(operation, problem, StatusCodes.Status503ServiceUnavailable, "The authority's database does not answer: retry after Retry-After seconds.");
        }

        await DescribeBodyAsync(operation, context, ct);
        Tidy(operation, metadata, context);

        // Wolverine declares a 500 for every endpoint; it is never a contract, and a problem when it happens.
        if (operation.Responses.TryGetValue("500", out var serverError) && serverError is OpenApiResponse { Content: null or { Count: 0 } })
        {
            operation.Responses.Remove("500");
        }

        // Statuses declared without a body (ProducesResponseType without a type) that are problems here.
        foreach (var (status, response) in operation.Responses.ToList())
        {
            if (status is not ("200" or "204") && int.TryParse(status, out var code) && code >= 400
                && response is OpenApiResponse { Content: null or { Count: 0 } } bare)
            {
                bare.Content = ProblemContent(problem);
            }
        }
    }

    private static async Task DescribeBodyAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var bodies = context.Description.ActionDescriptor.EndpointMetadata.OfType<RequestBodyAttribute>().ToList();
        if (bodies.Count == 0)
        {
            return;
        }

        // A media type named by several bodies takes any of them (application/json: a batch, one event, or binary data).
        var schemas = new Dictionary<string, List<IOpenApiSchema>>(StringComparer.Ordinal);
        foreach (var body in bodies)
        {
            var schema = body.Type is null
                ? new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" }
                : await ComponentAsync(body.Type, context, ct);
            foreach (var type in body.ContentTypes)
            {
                (schemas.TryGetValue(type, out var list) ? list : schemas[type] = []).Add(schema);
            }
        }

        var content = schemas.ToDictionary(
            s => s.Key,
            s => new OpenApiMediaType { Schema = s.Value.Count == 1 ? s.Value[0] : new OpenApiSchema { AnyOf = s.Value } },
            StringComparer.Ordinal);
        operation.RequestBody = new OpenApiRequestBody { Required = bodies.All(b => b.Required), Content = content };

        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<CloudEventsBinaryModeAttribute>().Any())
        {
            operation.Parameters ??= [];
            foreach (var (header, description) in CloudEventsBinaryModeAttribute.Headers)
            {
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = header,
                    In = ParameterLocation.Header,
                    Required = false,
                    Description = description,
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                });
            }
        }
    }

    private static void Tidy(OpenApiOperation operation, IList<object> metadata, OpenApiOperationTransformerContext context)
    {
        var responses = operation.Responses!;

        // Wolverine assumes a 404 for most endpoints; here only those that declare one answer it.
        if (!metadata.OfType<ProducesResponseTypeAttribute>().Any(p => p.StatusCode == StatusCodes.Status404NotFound))
        {
            responses.Remove("404");
        }

        // An endpoint that answers 204 never answers 200 (Wolverine assumes one).
        if (responses.ContainsKey("204"))
        {
            responses.Remove("200");
        }

        // format=csv: the same answer as a CSV table (Http/Csv.cs).
        if (context.Description.ParameterDescriptions.Any(p => p.Name == "format" && p.Source.Id == "Query")
            && responses.TryGetValue("200", out var ok) && ok is OpenApiResponse { Content: { } okContent }
            && okContent.ContainsKey("application/json"))
        {
            okContent["text/csv"] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
        }
    }

    /// <summary>The endpoint's feature folder (<c>Features/Kpis</c>: "Kpis"), or the host's part (<c>Host/Health</c>).</summary>
    private static string? Feature(OpenApiOperationTransformerContext context) =>
        context.Description.ActionDescriptor is Wolverine.Http.WolverineActionDescriptor action
            ? action.Chain.Method.HandlerType.Namespace?.Split('.')[^1]
            : null;

    private static bool HasInput(OpenApiOperationTransformerContext context) =>
        context.Description.ParameterDescriptions.Any(p => p.Source.Id is "Query" or "Path" or "Body")
        || context.Description.ActionDescriptor.EndpointMetadata.OfType<RequestBodyAttribute>().Any();

    /// <summary>A body's schema as a named component (an array's items, for a list), as response types are.</summary>
    private static async Task<IOpenApiSchema> ComponentAsync(Type type, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var item = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) ? type.GetGenericArguments()[0] : null;
        if (item is not null)
        {
            return new OpenApiSchema { Type = JsonSchemaType.Array, Items = await ComponentAsync(item, context, ct) };
        }

        // Only a record of ours is a component; a dictionary or the like stays inline.
        if (type.IsGenericType)
        {
            return await context.GetOrCreateSchemaAsync(type, null, ct);
        }

        var document = context.Document!;
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        if (!document.Components.Schemas.ContainsKey(type.Name))
        {
            document.AddComponent(type.Name, await context.GetOrCreateSchemaAsync(type, null, ct));
        }

        return new OpenApiSchemaReference(type.Name, document);
    }

    private static async Task<IOpenApiSchema> ProblemSchemaAsync(OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        const string name = nameof(ProblemDetails);
        var document = context.Document!;
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        if (!document.Components.Schemas.ContainsKey(name))
        {
            document.AddComponent(name, await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, ct));
        }

        return new OpenApiSchemaReference(name, document);
    }

    private static void AddProblem(OpenApiOperation operation, IOpenApiSchema problem, int status, string description)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses!.TryGetValue(key, out var existing) && existing is OpenApiResponse { Content.Count: > 0 })
        {
            return;
        }

        operation.Responses[key] = new OpenApiResponse { Description = description, Content = ProblemContent(problem) };
    }

    private static Dictionary<string, OpenApiMediaType> ProblemContent(IOpenApiSchema problem) =>
        new(StringComparer.Ordinal) { [ProblemMediaType] = new OpenApiMediaType { Schema = problem } };

    private static OpenApiSecurityRequirement Requirement(string scheme, OpenApiDocument? document) =>
        new() { [new OpenApiSecuritySchemeReference(scheme, document)] = [] };
}
