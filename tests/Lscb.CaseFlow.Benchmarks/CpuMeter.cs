using System.Globalization;
using Npgsql;

namespace Lscb.CaseFlow.Benchmarks;

/// <summary>
/// CPU time spent during a stretch of the run by one process of ours (the API or the rebuild command) and by the
/// PostgreSQL backends serving the benchmark's database, from <c>/proc/&lt;pid&gt;/stat</c> (user + system). Sampled
/// every 200 ms, so that processes and backends that end before the stretch does still count (up to their last
/// sample). PostgreSQL's shared background work (WAL writer, checkpointer) is not in it.
/// </summary>
internal sealed class CpuMeter : IAsyncDisposable
{
    private static readonly double MsPerTick = 1000.0 / 100; // USER_HZ is 100 on Linux

    private readonly string _db;
    private readonly Func<int?> _process;
    private readonly Dictionary<int, (double First, double Last)> _backends = [];
    private (double First, double Last)? _own;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;

    private CpuMeter(string db, Func<int?> process)
    {
        _db = db;
        _process = process;
        _sampling = Task.Run(SampleAsync);
    }

    private (decimal Wal, long Checkpoints) _server;
    private readonly Dictionary<string, int> _waits = new(StringComparer.Ordinal);

    /// <summary>Starts measuring the backends of <paramref name="db"/> and the process <paramref name="process"/> names (when it runs).</summary>
    public static async Task<CpuMeter> StartAsync(string db, Func<int?> process)
    {
        var meter = new CpuMeter(db, process);
        meter._server = await ServerAsync(db);
        await meter.SampleOnceAsync(first: true);
        return meter;
    }

    /// <summary>
    /// Stops and gives the CPU milliseconds of our process and of PostgreSQL since the start, the WAL PostgreSQL wrote
    /// meanwhile (the whole server's: nothing else on it should be writing) and the checkpoints it made.
    /// </summary>
    public async Task<Usage> StopAsync()
    {
        await SampleOnceAsync(first: false);
        await _stop.CancelAsync();
        await _sampling;
        var own = _own is { } o ? o.Last - o.First : 0;
        var server = await ServerAsync(_db);
        return new Usage(own, _backends.Values.Sum(b => b.Last - b.First), (double)(server.Wal - _server.Wal), server.Checkpoints - _server.Checkpoints,
            new Dictionary<string, int>(_waits, StringComparer.Ordinal));
    }

    /// <param name="Busy">How often a backend was seen running a statement, by what it was doing (samples every 200 ms).</param>
    public sealed record Usage(double ProcessMs, double PostgresMs, double WalBytes, long Checkpoints, IReadOnlyDictionary<string, int> Busy);

    private static async Task<(decimal Wal, long Checkpoints)> ServerAsync(string db)
    {
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "select pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0'), checkpoints_timed + checkpoints_req from pg_stat_bgwriter", connection);
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetDecimal(0), reader.GetInt64(1));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _sampling;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task SampleAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(200, _stop.Token);
                await SampleOnceAsync(first: false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private readonly SemaphoreSlim _lock = new(1, 1);

    private async Task SampleOnceAsync(bool first)
    {
        await _lock.WaitAsync();
        try
        {
            if (_process() is { } pid && CpuMs(pid) is { } own)
            {
                // A process first seen after the start began at zero.
                _own = _own is { } o ? (o.First, own) : (first ? own : 0, own);
            }

            foreach (var (backend, waiting) in await BackendsAsync())
            {
                if (waiting is not null)
                {
                    _waits[waiting] = _waits.GetValueOrDefault(waiting) + 1;
                }

                if (CpuMs(backend) is { } ms)
                {
                    _backends[backend] = _backends.TryGetValue(backend, out var b) ? (b.First, ms) : (first ? ms : 0, ms);
                }
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// The database's backends, and for each one running a statement what it was doing at that instant: on the CPU, or
    /// waiting, by PostgreSQL's wait event (a lock on a row or transaction, an internal lock, I/O).
    /// </summary>
    private async Task<List<(int Pid, string? Doing)>> BackendsAsync()
    {
        var pids = new List<(int, string?)>();
        try
        {
            await using var connection = new NpgsqlConnection(_db);
            await connection.OpenAsync();
            await using var cmd = new NpgsqlCommand("""
                select pid, case when state <> 'active' then null
                                 when wait_event_type is null then 'CPU'
                                 when wait_event_type in ('Lock', 'LWLock', 'IO') then wait_event_type || ':' || wait_event
                                 else wait_event_type end
                from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()
                """, connection);
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                pids.Add((reader.GetInt32(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
            }
        }
        catch (NpgsqlException)
        {
            // A sample missed: the next one counts.
        }

        return pids;
    }

    /// <summary>utime + stime of the process, in ms; null once it is gone.</summary>
    private static double? CpuMs(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) is in parentheses and may hold spaces: count fields after its ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return ticks * MsPerTick;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
