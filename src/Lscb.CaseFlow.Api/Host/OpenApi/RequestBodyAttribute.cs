namespace Lscb.CaseFlow.Api.Host.OpenApi;

/// <summary>
/// The body an endpoint reads itself (bounded, with its own problems), for the OpenAPI description only. Not
/// <c>[Consumes]</c>: that is also a routing constraint, and would answer a wrong media type before the endpoint could say
/// why in its own words.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class RequestBodyAttribute(Type? type, params string[] contentTypes) : Attribute
{
    /// <summary>The body's type; null for a file (a binary string).</summary>
    public Type? Type { get; } = type;

    public IReadOnlyList<string> ContentTypes { get; } = contentTypes;

    public bool Required { get; init; } = true;
}
