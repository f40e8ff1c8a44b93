namespace Lscb.CaseFlow.Api.Host.OpenApi;

/// <summary>
/// A property the fixed contract (<c>../shared/spec</c>) does not name, or names as optional: left out of the schema's
/// <c>required</c>, so that the contract's own examples validate and a client never comes to rely on it.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class OptionalInContractAttribute : Attribute;
