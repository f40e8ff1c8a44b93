using System.Security.Claims;

namespace Lscb.CaseFlow.Api.Host.Security;

/// <summary>The claims this service gives a caller, and what they allow.</summary>
public static class Caller
{
    public const string TenantClaim = "tenant";
    public const string SourceClaim = "caseflow:source";
    public const string AnySource = "*";

    /// <summary>
    /// Who the caller is, stably and uniquely: <c>key:</c> and a fingerprint of the API key, or <c>jwt:{iss}|{sub}</c>.
    /// Set by this service only (a token's own claim of this name is removed), never a display name, which two callers
    /// may share.
    /// </summary>
    public const string IdClaim = "caseflow:caller";

    /// <summary>The caller's local authority (Marten tenant); keys without one belong to the default tenant.</summary>
    public static string TenantId(this ClaimsPrincipal user) =>
        user.FindFirstValue(TenantClaim) is { Length: > 0 } tenant ? tenant : TenantIds.Default;

    /// <summary>The display name (a key's configured name, a token's <c>name</c>): for people, not for telling callers apart.</summary>
    public static string Name(this ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";

    /// <summary>
    /// The stable id (<see cref="IdClaim"/>) of an authenticated caller: what the access log records and the rate limit
    /// counts by. Every authentication scheme here sets it, so its absence is a bug, not a caller to serve.
    /// </summary>
    public static string Id(this ClaimsPrincipal user) =>
        user.FindFirstValue(IdClaim) is { Length: > 0 } id ? id : throw new InvalidOperationException("An authenticated caller without a caller id.");

    /// <summary>Whether the caller may push events from <paramref name="source"/> (<c>*</c> allows any).</summary>
    public static bool MaySend(this ClaimsPrincipal user, string source) =>
        user.FindAll(SourceClaim).Any(c => c.Value == AnySource || string.Equals(c.Value, source, StringComparison.Ordinal));
}
