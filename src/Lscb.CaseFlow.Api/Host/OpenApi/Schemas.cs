using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Lscb.CaseFlow.Api.Host.OpenApi;

/// <summary>What the generated schemas say differently from the wire, corrected; and each fixed shape's example.</summary>
public static class Schemas
{
    public static Task ApplyAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        var type = context.JsonTypeInfo.Type;

        // Numbers are written as numbers: the serializer's leniency in reading them from strings is not the contract.
        if (schema.Type is { } t && t.HasFlag(JsonSchemaType.String) && (t.HasFlag(JsonSchemaType.Integer) || t.HasFlag(JsonSchemaType.Number)))
        {
            schema.Type = t & ~JsonSchemaType.String;
            schema.Pattern = null;
        }

        // A figure (value, numerator, denominator) is a number, null, or "c" where publication mode suppresses it.
        if (type == typeof(object))
        {
            schema.Type = JsonSchemaType.Number | JsonSchemaType.String | JsonSchemaType.Null;
            schema.Description ??= "A number; null where none applies; \"c\" where publication mode suppresses it.";
        }

        // Derived types are written without a type discriminator (the wire shape is the fields alone).
        schema.Discriminator = null;

        if (context.JsonPropertyInfo is null && schema.Required is { Count: > 0 } required)
        {
            foreach (var property in context.JsonTypeInfo.Properties)
            {
                if (property.AttributeProvider is MemberInfo member && member.IsDefined(typeof(OptionalInContractAttribute)))
                {
                    required.Remove(property.Name);
                }
            }
        }

        if (context.JsonPropertyInfo is null && Examples.For(type) is { } example)
        {
            schema.Examples = [JsonNode.Parse(example)!];
        }

        return Task.CompletedTask;
    }
}
