namespace Lscb.CaseFlow.Api.Host;

public static class TenantIds
{
    /// <summary>Marten's default tenant, used until a caller's key names another.</summary>
    public const string Default = "*DEFAULT*";
}
