using Lscb.CaseFlow.Api.Host;

namespace Lscb.CaseFlow.Api.Features.Reference;

/// <summary>
/// Which authority each tenant is, so that its comparisons, sentences and board report use its own DfE figures: the
/// LA code of <c>CaseFlow:Tenancy:Authorities:&lt;tenant&gt;</c>, and for the default tenant
/// <c>CaseFlow:Authority:LaCode</c>. Every code must be one the DfE files know; one that is not stops the start.
/// </summary>
public sealed class Authorities
{
    private readonly Dictionary<string, AuthorityInfo> _byTenant = new(StringComparer.Ordinal);

    public Authorities(CaseFlowOptions options, DfeBenchmarks dfe)
    {
        if (options.Authority.LaCode is { Length: > 0 } defaultCode)
        {
            _byTenant[TenantIds.Default] = Known(dfe, defaultCode, $"{CaseFlowOptions.Section}:Authority:LaCode");
        }

        foreach (var (tenant, laCode) in options.Tenancy.Authorities)
        {
            _byTenant[tenant.Trim()] = Known(dfe, laCode.Trim(), $"{CaseFlowOptions.Section}:Tenancy:Authorities:{tenant}");
        }
    }

    /// <summary>The tenant's authority, or null when none is configured (then only England is compared).</summary>
    public AuthorityInfo? Of(string tenantId) => _byTenant.GetValueOrDefault(tenantId);

    private static AuthorityInfo Known(DfeBenchmarks dfe, string laCode, string key) =>
        dfe.Authority(laCode) ?? throw new InvalidOperationException(
            $"Configuration: {key} is '{laCode}', which is no local authority in the DfE's files: give its old LA code, such as 335.");
}
