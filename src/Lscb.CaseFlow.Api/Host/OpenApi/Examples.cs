using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Lscb.CaseFlow.Api.Host.OpenApi;

/// <summary>An example for each fixed shape of the contract (<c>api.md</c>, <c>events.md</c>, <c>kpis.md</c>), on its schema.</summary>
public static class Examples
{
    private static readonly Dictionary<Type, string> ByType = new();

    public static Task ApplyAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        // Only the type's own schema, not each property of the same type.
        if (context.JsonPropertyInfo is null && ByType.TryGetValue(context.JsonTypeInfo.Type, out var example))
        {
            schema.Examples = [JsonNode.Parse(example)!];
        }

        return Task.CompletedTask;
    }
}
