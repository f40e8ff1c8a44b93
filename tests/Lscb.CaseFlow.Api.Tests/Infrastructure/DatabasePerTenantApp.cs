namespace Lscb.CaseFlow.Api.Tests.Infrastructure;

/// <summary>
/// The API with a database per authority on two PostgreSQL servers: the default authority in the default database
/// (<c>ConnectionStrings:CaseFlow</c>, on the shared test server), the <c>other-authority</c> key's authority
/// (<see cref="OtherTenant"/>) in a database of its own on a second cluster
/// (<c>CaseFlow:Tenancy:Databases:E08000030</c>).
/// </summary>
public class DatabasePerTenantApp : CaseFlowApp
{
    public const string OtherTenant = "E08000030";

    /// <summary>The second server, which a test may stop and start.</summary>
    public PostgresServer OtherServer { get; private set; } = null!;

    public string OtherConnectionString { get; private set; } = null!;

    protected override async Task<IReadOnlyDictionary<string, string>> MoreSettingsAsync(PostgresServer server)
    {
        Keys["other-authority"].Tenant.ShouldBe(OtherTenant);
        OtherServer = await PostgresServer.StartDedicatedAsync();
        OtherConnectionString = await OtherServer.CreateDatabaseAsync("caseflow_other");
        return new Dictionary<string, string> { [$"CaseFlow:Tenancy:Databases:{OtherTenant}"] = OtherConnectionString };
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await OtherServer.DisposeAsync();
    }
}
