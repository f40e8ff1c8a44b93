using System.Security.Claims;

namespace Lscb.CaseFlow.Api.Security;

/// <summary>The claims this service gives a caller, and what they allow.</summary>
public static class Caller
{
    public const string TenantClaim = "tenant";
    public const string SourceClaim = "caseflow:source";
    public const string AnySource = "*";

    /// <summary>The caller's local authority (Marten tenant); keys without one belong to the default tenant.</summary>
    public static string TenantId(this ClaimsPrincipal user) =>
        user.FindFirstValue(TenantClaim) is { Length: > 0 } tenant ? tenant : TenantIds.Default;

    public static string Name(this ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";

    /// <summary>Whether the caller may push events from <paramref name="source"/> (<c>*</c> allows any).</summary>
    public static bool MaySend(this ClaimsPrincipal user, string source) =>
        user.FindAll(SourceClaim).Any(c => c.Value == AnySource || string.Equals(c.Value, source, StringComparison.Ordinal));
}
