namespace Lscb.CaseFlow.Api.Tests.Infrastructure;

/// <summary>
/// The asynchronous projection's settings for a test host, and where Wolverine has placed its daemons. Shared with the
/// fault tests, which start the API as processes.
/// </summary>
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
    /// database: reads before that wait or answer 503. Tests start once they run. Returns the node each runs on.
    /// </summary>
    public static async Task<IReadOnlyList<Guid>> WaitForDaemonsAsync(string connectionString, int databases)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var nodes = await DaemonNodesAsync(connectionString);
            if (nodes.Count >= databases)
            {
                return nodes;
            }

            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(60), "Wolverine assigns the projection's agents to a node.");
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// The Wolverine node each event-subscription agent (a database's Marten daemon) is assigned to. Wolverine's node
    /// tables are in the default database.
    /// </summary>
    public static async Task<IReadOnlyList<Guid>> DaemonNodesAsync(string connectionString)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand(
            "select node_id from caseflow.wolverine_node_assignments where id like 'event-subscriptions://%'", connection);
        var nodes = new List<Guid>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            nodes.Add(reader.GetGuid(0));
        }

        return nodes;
    }
}
