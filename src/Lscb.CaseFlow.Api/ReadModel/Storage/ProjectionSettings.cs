using JasperFx.Events.Projections;

namespace Lscb.CaseFlow.Api.ReadModel.Storage;

/// <summary>
/// How the child-facts projection runs (<c>CaseFlow:Projections</c>):
/// <list type="bullet">
/// <item><c>Mode = Inline</c> (the default): a batch's facts are written in the batch's own transaction. One node or many,
/// nothing runs in the background.</item>
/// <item><c>Mode = Async</c>: a batch only appends its events; Marten's projection daemon writes the facts after the
/// commit, and Wolverine spreads the daemons over the API nodes (one running agent per database, placed by the elected
/// leader, moved when a node goes). A POST then costs about half the CPU. Analysts' reads wait, up to
/// <c>ReadWaitSeconds</c> (default 10), until the projection has passed every event committed before the request came,
/// so a figure asked for after a 200 still includes that batch; past the limit they answer 503 with Retry-After.</item>
/// </list>
/// <c>HealthCheckSeconds</c> (default 2) and <c>StaleNodeSeconds</c> (default 10) are how often each node's heartbeat is
/// written and how old it may get before the node counts as gone and its agents move: Wolverine's own 10 and 60 seconds
/// would leave analysts' reads waiting, then refused, for about two minutes after a node crashed. Only used in the
/// asynchronous mode.
/// </summary>
public sealed record ProjectionSettings(bool Async, TimeSpan ReadWait, TimeSpan HealthCheck, TimeSpan StaleNode)
{
    /// <summary>What applies when nothing is configured.</summary>
    public static readonly ProjectionSettings Defaults = new(false, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10));

    public ProjectionLifecycle Lifecycle => Async ? ProjectionLifecycle.Async : ProjectionLifecycle.Inline;

    public static ProjectionSettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection("CaseFlow:Projections");
        var mode = section["Mode"]?.Trim();
        var isAsync = mode is null or "" || mode.Equals("Inline", StringComparison.OrdinalIgnoreCase) ? false
            : mode.Equals("Async", StringComparison.OrdinalIgnoreCase) ? true
            : throw new InvalidOperationException($"CaseFlow:Projections:Mode must be 'Inline' or 'Async', not '{mode}'.");
        return new ProjectionSettings(
            isAsync,
            Seconds(section, "ReadWaitSeconds") ?? Defaults.ReadWait,
            Seconds(section, "HealthCheckSeconds") ?? Defaults.HealthCheck,
            Seconds(section, "StaleNodeSeconds") ?? Defaults.StaleNode);
    }

    private static TimeSpan? Seconds(IConfiguration section, string key) =>
        section.GetValue<double?>(key) is { } seconds
            ? seconds > 0 ? TimeSpan.FromSeconds(seconds) : throw new InvalidOperationException($"CaseFlow:Projections:{key} must be positive.")
            : null;
}

/// <summary>
/// An analyst's read came while the asynchronous projection had not yet passed the events committed before it, and did
/// not within the configured wait (<see cref="ProjectionSettings.ReadWait"/>): answered 503 with Retry-After.
/// </summary>
public sealed class ProjectionBehindException(long wanted, long reached)
    : Exception($"The projection has reached event {reached} of {wanted}.")
{
    public long Wanted { get; } = wanted;

    public long Reached { get; } = reached;
}
