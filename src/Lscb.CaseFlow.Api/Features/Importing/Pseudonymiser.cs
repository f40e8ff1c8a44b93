using System.Security.Cryptography;
using System.Text;
using Lscb.CaseFlow.Api.Host;

namespace Lscb.CaseFlow.Api.Features.Importing;

/// <summary>
/// Pseudonymisation at the door: a local child id (the census's <c>LAchildID</c>, Annex A's "Child Unique ID")
/// becomes the <c>subject</c> through HMAC-SHA256 keyed with the authority's own secret
/// (<c>CaseFlow:Pseudonymisation:Secrets:&lt;tenant&gt;</c>, <c>default</c> for keys without a tenant). The id is
/// trimmed and upper-cased first, so that both formats give the same child the same subject. Neither secrets nor
/// local ids are ever logged or stored.
/// </summary>
public sealed class Pseudonymiser
{
    public const string Section = "CaseFlow:Pseudonymisation:Secrets";
    public const int MinimumSecretLength = 32;
    public const int SubjectLength = 32;

    private readonly Dictionary<string, byte[]> _secrets = new(StringComparer.Ordinal);

    public Pseudonymiser(IConfiguration configuration, ILogger<Pseudonymiser> logger)
    {
        foreach (var entry in configuration.GetSection(Section).GetChildren())
        {
            if (entry.Value is { Length: >= MinimumSecretLength } secret)
            {
                _secrets[entry.Key] = Encoding.UTF8.GetBytes(secret);
            }
            else
            {
                logger.LogWarning("The pseudonymisation secret of '{Tenant}' is ignored: it needs at least {Length} characters.", entry.Key, MinimumSecretLength);
            }
        }
    }

    /// <summary>The configuration key of a tenant's secret: its id, or <c>default</c> for the default tenant.</summary>
    public static string SecretKeyOf(string tenant) => tenant == TenantIds.Default ? "default" : tenant;

    /// <summary>The tenant's keyed hash, or null when no secret is configured for it.</summary>
    public Func<string, string>? For(string tenant) =>
        _secrets.TryGetValue(SecretKeyOf(tenant), out var secret) ? localId => SubjectOf(secret, localId) : null;

    /// <summary>Trimmed (no-break spaces too) and upper-cased: "dfex0000001 " and "DfEX0000001" are one child.</summary>
    public static string Normalise(string localId) => localId.Replace('\u00A0', ' ').Trim().ToUpperInvariant();

    /// <summary>The first 160 bits of HMAC-SHA256(secret, id), as 32 characters of lower-case base32.</summary>
    public static string SubjectOf(byte[] secret, string localId)
    {
        var mac = HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(Normalise(localId)));
        const string alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        var subject = new StringBuilder(SubjectLength);
        for (var bit = 0; subject.Length < SubjectLength; bit += 5)
        {
            var index = bit / 8;
            var window = (mac[index] << 8) | (index + 1 < mac.Length ? mac[index + 1] : 0);
            subject.Append(alphabet[(window >> (11 - (bit % 8))) & 31]);
        }

        return subject.ToString();
    }
}
