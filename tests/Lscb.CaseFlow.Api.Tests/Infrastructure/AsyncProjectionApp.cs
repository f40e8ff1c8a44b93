namespace Lscb.CaseFlow.Api.Tests.Infrastructure;

/// <summary>
/// The API with the projection asynchronous (<c>CaseFlow:Projections:Mode = Async</c>): Marten's daemon, run by
/// Wolverine as an agent of this node, writes the facts after each batch commits; analysts' reads wait for it up to
/// <see cref="AsyncProjection.ReadWaitSeconds"/>.
/// </summary>
public sealed class AsyncProjectionApp : CaseFlowApp
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await AsyncProjection.WaitForDaemonsAsync(ConnectionString, 1);
    }

    protected override Task<IReadOnlyDictionary<string, string>> MoreSettingsAsync(PostgresServer server) =>
        Task.FromResult(AsyncProjection.Settings);
}

/// <summary>
/// <see cref="DatabasePerTenantApp"/> with the projection asynchronous: Wolverine runs one daemon per database, the
/// default database's and the other authority's on its own server.
/// </summary>
public sealed class AsyncDatabasePerTenantApp : DatabasePerTenantApp
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await AsyncProjection.WaitForDaemonsAsync(ConnectionString, 2);
    }

    protected override async Task<IReadOnlyDictionary<string, string>> MoreSettingsAsync(PostgresServer server) =>
        new Dictionary<string, string>((await base.MoreSettingsAsync(server)).Concat(AsyncProjection.Settings));
}
