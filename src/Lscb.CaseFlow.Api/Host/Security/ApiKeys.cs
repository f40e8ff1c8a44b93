using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Lscb.CaseFlow.Api.Host.Security;

/// <summary>One configured key: <c>CaseFlow:ApiKeys:0:Name</c>, <c>…:Key</c>, <c>…:Roles:0</c>, <c>…:Sources:0</c>, <c>…:Tenant</c>.</summary>
public sealed class ApiKey
{
    public string Name { get; set; } = "";
    public string Key { get; set; } = "";
    public string[] Roles { get; set; } = [];
    public string[] Sources { get; set; } = [];
    public string? Tenant { get; set; }
}

public sealed class ApiKeyOptions
{
    public List<ApiKey> ApiKeys { get; set; } = [];
}

/// <summary>
/// <c>Authorization: Bearer &lt;key&gt;</c> against the configured keys. Keys are compared in constant time (as
/// hashes of equal length, against every key), and never logged.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IOptionsMonitor<ApiKeyOptions> keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    public const int MinimumKeyLength = 24;

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!TryReadBearer(Request, out var presented))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var presentedHash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        ApiKey? match = null;
        foreach (var key in keys.CurrentValue.ApiKeys.Where(k => k.Key.Length >= MinimumKeyLength))
        {
            // Every key is compared, whichever matches, so the time taken says nothing about the keys.
            if (CryptographicOperations.FixedTimeEquals(presentedHash, SHA256.HashData(Encoding.UTF8.GetBytes(key.Key))))
            {
                match = key;
            }
        }

        if (match is null)
        {
            return Task.FromResult(AuthenticateResult.Fail("Unknown API key."));
        }

        var claims = new List<Claim> { new(ClaimTypes.Name, match.Name), new(Caller.IdClaim, IdOf(presentedHash)) };
        claims.AddRange(match.Roles.Select(r => new Claim(ClaimTypes.Role, r.Trim().ToLowerInvariant())));
        claims.AddRange(match.Sources.Select(s => new Claim(Caller.SourceClaim, s.Trim())));
        if (!string.IsNullOrWhiteSpace(match.Tenant))
        {
            claims.Add(new Claim(Caller.TenantClaim, match.Tenant.Trim()));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, ClaimTypes.Name, ClaimTypes.Role));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    /// <summary>
    /// A key's caller id: <c>key:</c> and the first 8 bytes of its SHA-256 in hex. Two keys never share it (unlike a name,
    /// which two authorities may both choose), it stays the same across restarts and nodes, and it says nothing usable
    /// about the key itself (a key is at least 24 random characters, the fingerprint 64 bits of a one-way hash).
    /// </summary>
    public static string IdOf(byte[] keyHash) => "key:" + Convert.ToHexStringLower(keyHash.AsSpan(0, 8));

    public static string IdOf(string key) => IdOf(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static bool TryReadBearer(HttpRequest request, out string token)
    {
        token = "";
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        token = header["Bearer ".Length..].Trim();
        return token.Length > 0;
    }

    /// <summary>A JSON web token has three dot-separated parts; an API key has none.</summary>
    public static bool LooksLikeJwt(string token) => token.Count(c => c == '.') == 2;
}
