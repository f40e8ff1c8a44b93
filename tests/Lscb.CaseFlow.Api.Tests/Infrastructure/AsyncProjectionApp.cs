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
        await AsyncProjection.WaitForDaemonsAsync(this, 1);
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
        await AsyncProjection.WaitForDaemonsAsync(this, 2);
    }

    protected override async Task<IReadOnlyDictionary<string, string>> MoreSettingsAsync(PostgresServer server) =>
        new Dictionary<string, string>((await base.MoreSettingsAsync(server)).Concat(AsyncProjection.Settings));
}

public static class AsyncProjection
{
    public const int ReadWaitSeconds = 5;

    public static IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["CaseFlow:Projections:Mode"] = "Async",
        ["CaseFlow:Projections:ReadWaitSeconds"] = ReadWaitSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// A cluster's first node elects itself leader at its first health check and then assigns the daemons, one per
    /// database: reads before that wait or answer 503. Tests start once they run. Wolverine's node tables are in the
    /// default database.
    /// </summary>
    public static async Task WaitForDaemonsAsync(CaseFlowApp app, int databases)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (await app.ScalarAsync("select count(*) from caseflow.wolverine_node_assignments where id like 'event-subscriptions://%'") < databases)
        {
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(60), "Wolverine assigns the projection's agents to a node.");
            await Task.Delay(100);
        }
    }
}
