using Npgsql;
using Lscb.CaseFlow.Api.ReadModel.Storage;
using Lscb.CaseFlow.Api.ReadModel;

namespace Lscb.CaseFlow.Api.Host.Health;

/// <summary>
/// Whether every primary database answers, as <c>/health</c> reports it: asked at most once per <see cref="FreshFor"/>
/// (<c>CaseFlow:Health:CacheMilliseconds</c>, default 1,000), and one check shared by every caller that comes while it
/// runs. A flood of <c>/health</c> then costs the databases nothing more than a probe a second; it used to cost a query
/// per request in every database, which slowed every other call.
/// </summary>
public sealed class DatabaseHealth(TenantDatabases databases, CaseFlowOptions options)
{
    /// <summary>How long a database may take to answer before it counts as unavailable.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    private readonly Lock _gate = new();
    private Task<State>? _current;
    private long _completedAt;
    private long _checks;

    public TimeSpan FreshFor { get; } = TimeSpan.FromMilliseconds(options.Health.CacheMilliseconds);

    /// <summary>How many checks have asked the databases since start (each asks every primary once).</summary>
    public long Checks => Interlocked.Read(ref _checks);

    /// <summary>The last answer while it is fresh, the running check while one runs, otherwise a new check.</summary>
    public Task<State> CheckAsync(CancellationToken ct)
    {
        Task<State> check;
        lock (_gate)
        {
            // Monotonic time, not the service's clock (which tests fix): freshness is about the real second.
            var fresh = _current is { IsCompleted: true } && Environment.TickCount64 - Volatile.Read(ref _completedAt) < FreshFor.TotalMilliseconds;
            if (_current is null || (_current.IsCompleted && !fresh))
            {
                _current = RunAsync();
            }

            check = _current;
        }

        // A caller that goes away stops waiting; the check goes on for the others.
        return check.WaitAsync(ct);
    }

    private async Task<State> RunAsync()
    {
        Interlocked.Increment(ref _checks);
        using var timeout = new CancellationTokenSource(Timeout);
        var answers = await Task.WhenAll(databases.Primaries.Select(db => AnswersAsync(db, timeout.Token)));
        Volatile.Write(ref _completedAt, Environment.TickCount64);
        // Real time, as the cache's age is: not the service's clock, which the tests fix.
        return new State(answers.Length, answers.Count(ok => !ok), TimeProvider.System.GetUtcNow());
    }

    private static async Task<bool> AnswersAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        try
        {
            await using var cmd = db.CreateCommand($"select 1 from {CaseFlowTables.EventKeys} limit 1");
            await cmd.ExecuteScalarAsync(ct);
            return true;
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>How many databases were asked, how many did not answer, and when.</summary>
    public sealed record State(int Databases, int Unavailable, DateTimeOffset CheckedAt);
}
