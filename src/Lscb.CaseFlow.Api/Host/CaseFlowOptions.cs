using System.Globalization;
using Lscb.CaseFlow.Api.Features.Importing;
using Lscb.CaseFlow.Api.Host.Security;
using Lscb.CaseFlow.Api.ReadModel.Storage;

namespace Lscb.CaseFlow.Api.Host;

/// <summary>
/// Every <c>CaseFlow:*</c> setting, bound once at start (docs/configuration.md). A key this service does not know, a
/// value of the wrong type or out of range stops the start with a message naming the key, rather than being ignored
/// or falling back to a default in the middle of a request.
/// </summary>
public sealed class CaseFlowOptions
{
    public const string Section = "CaseFlow";

    /// <summary>The default tenant's authority (a DfE old LA code, such as <c>334</c>).</summary>
    public AuthoritySettings Authority { get; set; } = new();

    public TenancySettings Tenancy { get; set; } = new();

    public List<ApiKey> ApiKeys { get; set; } = [];

    public JwtSettings Jwt { get; set; } = new();

    public RateLimitSettings RateLimit { get; set; } = new();

    public HealthSettings Health { get; set; } = new();

    public LoggingSettings Logging { get; set; } = new();

    public SchemaSettings Schema { get; set; } = new();

    public PseudonymisationSettings Pseudonymisation { get; set; } = new();

    /// <summary>Read and checked by <see cref="ImportLimits"/>; here so that its keys are known.</summary>
    public Dictionary<string, string> Imports { get; set; } = [];

    /// <summary>Read and checked by <see cref="ProjectionSettings"/>; here so that its keys are known.</summary>
    public Dictionary<string, string> Projections { get; set; } = [];

    public bool SeedDemo { get; set; }

    /// <summary>OpenTelemetry (docs/observability.md): off unless an endpoint is set or it is enabled.</summary>
    public TelemetrySettings Telemetry { get; set; } = new();

    public sealed class TelemetrySettings
    {
        public string? OtlpEndpoint { get; set; }

        /// <summary>Record spans and metrics for an exporter added elsewhere (the tests' in-memory one).</summary>
        public bool Enabled { get; set; }

        /// <summary>Sources that keep their own tag beside those the API keys name.</summary>
        public List<string> Sources { get; set; } = [];

        public string? ServiceName { get; set; }
    }

    public sealed class AuthoritySettings
    {
        public string? LaCode { get; set; }
    }

    public sealed class TenancySettings
    {
        /// <summary>Tenant id → its authority's DfE old LA code: whose published figures its comparisons use.</summary>
        public Dictionary<string, string> Authorities { get; set; } = [];

        public Dictionary<string, string> Databases { get; set; } = [];

        public List<string> DefaultDatabaseTenants { get; set; } = [];

        public Dictionary<string, string> ReadReplicas { get; set; } = [];
    }

    public sealed class JwtSettings
    {
        public string? Authority { get; set; }
        public string? SigningKey { get; set; }
        public string? Issuer { get; set; }
        public string? Audience { get; set; }
        public string? RoleClaim { get; set; }
        public string? TenantClaim { get; set; }
    }

    public sealed class RateLimitSettings
    {
        public int PermitsPerMinute { get; set; } = 600;
        public int AnonymousPermitsPerMinute { get; set; } = 120;
        public int HealthPermitsPerMinute { get; set; } = 1_200;
    }

    public sealed class HealthSettings
    {
        public int CacheMilliseconds { get; set; } = 1_000;
    }

    public sealed class LoggingSettings
    {
        /// <summary>JSON logs outside Development; false keeps them readable on a terminal.</summary>
        public bool Json { get; set; } = true;
    }

    public sealed class SchemaSettings
    {
        /// <summary>False: another role owns and applies the schema (db-apply, db-grant); the service changes none of it.</summary>
        public bool AutoCreate { get; set; } = true;
    }

    public sealed class PseudonymisationSettings
    {
        public Dictionary<string, string> Secrets { get; set; } = [];
    }

    /// <summary>Binds and checks every setting; throws with the offending key's name.</summary>
    public static CaseFlowOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        if (UnknownKeys(section, typeof(CaseFlowOptions)).FirstOrDefault() is { } unknown)
        {
            throw new InvalidOperationException($"Configuration: {unknown} is not a setting of this service (docs/configuration.md lists them).");
        }

        var options = new CaseFlowOptions();
        try
        {
            section.Bind(options);
        }
        catch (InvalidOperationException e)
        {
            // "Failed to convert configuration value at 'CaseFlow:…' to type '…'": the key is in it.
            throw new InvalidOperationException($"Configuration: {e.Message}", e);
        }

        Positive(options.RateLimit.PermitsPerMinute, "RateLimit:PermitsPerMinute");
        Positive(options.RateLimit.AnonymousPermitsPerMinute, "RateLimit:AnonymousPermitsPerMinute");
        Positive(options.RateLimit.HealthPermitsPerMinute, "RateLimit:HealthPermitsPerMinute");
        if (options.Health.CacheMilliseconds < 0)
        {
            throw new InvalidOperationException($"Configuration: {Section}:Health:CacheMilliseconds must be 0 or more; it is {options.Health.CacheMilliseconds.ToString(CultureInfo.InvariantCulture)}.");
        }

        foreach (var (tenant, laCode) in options.Tenancy.Authorities)
        {
            if (string.IsNullOrWhiteSpace(laCode))
            {
                throw new InvalidOperationException($"Configuration: {Section}:Tenancy:Authorities:{tenant} must name the authority's DfE LA code, such as 335.");
            }
        }

        // The sections with readers of their own are checked by them, here, so that every mistake stops the start.
        _ = ImportLimits.From(configuration);
        _ = ProjectionSettings.From(configuration);
        return options;
    }

    private static void Positive(int value, string key)
    {
        if (value <= 0)
        {
            throw new InvalidOperationException($"Configuration: {Section}:{key} must be a positive whole number; it is {value.ToString(CultureInfo.InvariantCulture)}.");
        }
    }

    /// <summary>The paths under <paramref name="section"/> that no property of <paramref name="type"/> reads.</summary>
    private static IEnumerable<string> UnknownKeys(IConfigurationSection section, Type type)
    {
        var children = section.GetChildren();
        if (type == typeof(string) || type.IsPrimitive || Nullable.GetUnderlyingType(type) is not null)
        {
            return children.Select(c => c.Path);
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            return children.SelectMany(c => UnknownKeys(c, type.GetGenericArguments()[1]));
        }

        if (type.IsArray || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>)))
        {
            var element = type.IsArray ? type.GetElementType()! : type.GetGenericArguments()[0];
            return children.SelectMany(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? UnknownKeys(c, element) : [c.Path]);
        }

        var properties = type.GetProperties().Where(p => p.CanWrite).ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        return children.SelectMany(c => properties.TryGetValue(c.Key, out var p) ? UnknownKeys(c, p.PropertyType) : [c.Path]);
    }
}
