using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using Testcontainers.PostgreSql;

namespace Lscb.CaseFlow.Api.Tests.Infrastructure;

/// <summary>
/// One PostgreSQL server per test process. Tests isolate themselves by asking for a fresh database.
/// Order of preference: CASEFLOW_TEST_POSTGRES, then Docker via Testcontainers, then a throwaway
/// cluster started from local server binaries. A test that takes the database away (an outage) starts a
/// cluster of its own instead (<see cref="StartDedicatedAsync"/>), which it may stop and start.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string EnvConnectionString = "CASEFLOW_TEST_POSTGRES";
    private const string Hint =
        "Run deploy/local/ensure-postgres.sh to install PostgreSQL, or set CASEFLOW_TEST_POSTGRES to a connection string.";

    private static readonly Lazy<Task<PostgresServer>> Shared =
        new(StartSharedAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly NpgsqlConnectionStringBuilder _server;
    private readonly PostgreSqlContainer? _container;
    private readonly LocalCluster? _cluster;

    private readonly bool _dedicated;

    private PostgresServer(NpgsqlConnectionStringBuilder server, PostgreSqlContainer? container, LocalCluster? cluster, bool dedicated = false)
    {
        _server = server;
        _container = container;
        _cluster = cluster;
        _dedicated = dedicated;
        AdminConnectionString = ConnectionStringFor("postgres");
    }

    public static Task<PostgresServer> SharedAsync() => Shared.Value;

    /// <summary>
    /// A throwaway cluster of the caller's own, always from local server binaries (never the shared server, never
    /// Docker or CASEFLOW_TEST_POSTGRES), that it may <see cref="StopAsync">stop</see> and
    /// <see cref="StartAsync">start</see> again. Dispose it; it is removed when the test process ends in any case.
    /// </summary>
    public static async Task<PostgresServer> StartDedicatedAsync()
    {
        var cluster = await LocalCluster.StartAsync();
        return new PostgresServer(LocalServer(cluster), null, cluster, dedicated: true);
    }

    public string AdminConnectionString { get; }

    /// <summary>
    /// A streaming replica of this dedicated cluster (<c>pg_basebackup -R</c> into a cluster of its own, started as a hot
    /// standby): it replays everything the primary writes, databases created later included, and answers reads only.
    /// </summary>
    public async Task<PostgresServer> StartReplicaAsync()
    {
        var replica = await Dedicated().StartReplicaAsync();
        return new PostgresServer(LocalServer(replica), null, replica, dedicated: true);
    }

    /// <summary>The connection string of a database of this server.</summary>
    public string ConnectionStringFor(string database, bool pooled) =>
        new NpgsqlConnectionStringBuilder(ConnectionStringFor(database)) { Pooling = pooled }.ConnectionString;

    public async Task<string> CreateDatabaseAsync(string? prefix = null)
    {
        // Identifiers cannot be bound as parameters, so the name is restricted to [a-z0-9_] and capped at 63 chars.
        var safePrefix = new string((prefix ?? "test").ToLowerInvariant()
            .Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());
        var name = $"{safePrefix[..Math.Min(safePrefix.Length, 30)]}_{Guid.NewGuid():N}";

        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionStringFor(name);
    }

    /// <summary>
    /// Stops a dedicated cluster as an operator would (<c>pg_ctl stop -m fast</c>): open sessions are ended, new
    /// connections are refused, and the data stays on disk for <see cref="StartAsync"/>.
    /// </summary>
    public Task StopAsync() => Dedicated().StopServerAsync();

    /// <summary>Starts a dedicated cluster again, on the same port and data; returns once it accepts connections.</summary>
    public Task StartAsync() => Dedicated().StartServerAsync();

    private LocalCluster Dedicated() => _dedicated && _cluster is not null
        ? _cluster
        : throw new InvalidOperationException("Only a dedicated cluster (StartDedicatedAsync) may be stopped and started.");

    public async ValueTask DisposeAsync()
    {
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }

        _cluster?.Stop();
    }

    private string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(_server.ConnectionString)
        {
            Database = database,
            Pooling = true,
            MaxPoolSize = 50,
        }.ConnectionString;

    private static async Task<PostgresServer> StartSharedAsync()
    {
        var configured = Environment.GetEnvironmentVariable(EnvConnectionString);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new PostgresServer(new NpgsqlConnectionStringBuilder(configured), null, null);
        }

        if (DockerLooksAvailable())
        {
            PostgreSqlContainer? container = null;
            try
            {
                container = new PostgreSqlBuilder("postgres:15-alpine").Build();
                await container.StartAsync();
                return new PostgresServer(new NpgsqlConnectionStringBuilder(container.GetConnectionString()), container, null);
            }
            catch (Exception)
            {
                // Any Docker failure just means "use local binaries instead".
                if (container is not null)
                {
                    await container.DisposeAsync();
                }
            }
        }

        var cluster = await LocalCluster.StartAsync();
        return new PostgresServer(LocalServer(cluster), null, cluster);
    }

    private static NpgsqlConnectionStringBuilder LocalServer(LocalCluster cluster) => new()
    {
        Host = "127.0.0.1",
        Port = cluster.Port,
        Username = "postgres",
    };

    // Testcontainers can take a while to give up; skip it outright when no engine could be listening.
    private static bool DockerLooksAvailable()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOCKER_HOST")))
        {
            return true;
        }

        var runtimeDir = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        return File.Exists("/var/run/docker.sock")
            || (!string.IsNullOrEmpty(runtimeDir) && File.Exists(Path.Combine(runtimeDir, "docker.sock")));
    }

    /// <summary>A cluster in a temp directory, removed once the test process has gone.</summary>
    private sealed class LocalCluster
    {
        // Stops and deletes the cluster after the test process ($1) exits, however it exits. An in-process
        // AppDomain.ProcessExit handler is not enough: vstest kills the test host ~100 ms after it starts
        // shutting down, before pg_ctl has finished. The subshell detaches so it outlives the test host.
        private const string WatchdogScript = """
            pid=$1 dir=$2; shift 2
            (
              trap '' INT HUP
              while kill -0 "$pid" 2>/dev/null; do sleep 1; done
              "$@" -D "$dir/data" -m immediate stop
              rm -rf "$dir"
            ) </dev/null >/dev/null 2>&1 &
            """;

        private readonly string _bin;
        private readonly string _dir;
        private readonly bool _asPostgres;
        private int _stopped;

        private LocalCluster(string bin, string dir, bool asPostgres, int port)
        {
            _bin = bin;
            _dir = dir;
            _asPostgres = asPostgres;
            Port = port;
        }

        public int Port { get; }

        private string DataDir => Path.Combine(_dir, "data");

        public static async Task<LocalCluster> StartAsync()
        {
            var cluster = await PrepareAsync();
            await RunAsync([.. cluster.Command("initdb"), "-D", cluster.DataDir, "--auth=trust", "--no-sync", "-U", "postgres", "-E", "UTF8", "--locale=C"], cluster._dir);
            await cluster.StartServerAsync();
            return cluster;
        }

        /// <summary>A hot standby of this cluster, streaming from it (initdb's trust rules allow replication from 127.0.0.1).</summary>
        public async Task<LocalCluster> StartReplicaAsync()
        {
            var replica = await PrepareAsync();
            await RunAsync([.. replica.Command("pg_basebackup"), "-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture),
                "-U", "postgres", "-D", replica.DataDir, "-R", "-X", "stream", "--no-sync"], replica._dir);
            await replica.StartServerAsync();
            return replica;
        }

        private static async Task<LocalCluster> PrepareAsync()
        {
            var bin = FindBinDir() ?? throw new InvalidOperationException(
                "No PostgreSQL server binaries (initdb) found in PG_BIN, /usr/lib/postgresql/*/bin or PATH. " + Hint);

            // initdb and postgres refuse to run as root, so as root everything runs as the 'postgres' user,
            // in a directory it owns under /tmp (which every user can traverse, unlike e.g. /root).
            var asPostgres = IsRoot();
            var dir = Path.Combine(asPostgres ? "/tmp" : Path.GetTempPath(), $"caseflow-pg-{Guid.NewGuid():N}");
            Directory.CreateDirectory(dir);
            var cluster = new LocalCluster(bin, dir, asPostgres, FreePort());
            if (asPostgres)
            {
                await RunAsync(["chown", "postgres:", dir], dir);
            }

            var processId = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
            await RunAsync(["sh", "-c", WatchdogScript, "sh", processId, dir, .. cluster.Command("pg_ctl")], dir);
            return cluster;
        }

        public async Task StartServerAsync()
        {
            // Durability is pointless for a throwaway cluster; turning it off makes CREATE DATABASE and writes fast.
            var options = string.Join(' ',
                "-p", Port.ToString(CultureInfo.InvariantCulture), "-k", _dir,
                "-c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
                "-c max_connections=300 -c shared_buffers=256MB");
            var log = Path.Combine(_dir, "log");
            try
            {
                await RunAsync([.. Command("pg_ctl"), "-D", DataDir, "-w", "-t", "60", "-l", log, "start", "-o", options], _dir);
            }
            catch (InvalidOperationException e) when (File.Exists(log))
            {
                throw new InvalidOperationException($"{e.Message}\nServer log:\n{await File.ReadAllTextAsync(log)}", e);
            }
        }

        /// <summary>A fast shutdown: sessions are ended (their transactions rolled back), then the server exits.</summary>
        public Task StopServerAsync() =>
            RunAsync([.. Command("pg_ctl"), "-D", DataDir, "-m", "fast", "-w", "-t", "60", "stop"], _dir);

        public void Stop()
        {
            if (Interlocked.Exchange(ref _stopped, 1) == 1)
            {
                return;
            }

            using (var stop = Process.Start(StartInfo([.. Command("pg_ctl"), "-D", DataDir, "-m", "immediate", "stop"], _dir)))
            {
                stop?.WaitForExit(30_000);
            }

            Directory.Delete(_dir, recursive: true);
        }

        // As root, tools run as 'postgres' through runuser.
        private string[] Command(string tool) =>
            _asPostgres ? ["runuser", "-u", "postgres", "--", Path.Combine(_bin, tool)] : [Path.Combine(_bin, tool)];

        private static async Task RunAsync(string[] command, string workDir)
        {
            using var process = Process.Start(StartInfo(command, workDir))
                ?? throw new InvalidOperationException($"Could not start {command[0]}.");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"'{string.Join(' ', command)}' exited with {process.ExitCode}:\n{await stdout}\n{await stderr}");
            }
        }

        private static ProcessStartInfo StartInfo(string[] command, string workDir) =>
            new(command[0], command[1..])
            {
                // Somewhere 'postgres' can read, or its tools complain about the current directory.
                WorkingDirectory = workDir,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };

        private static string? FindBinDir()
        {
            var fromEnv = Environment.GetEnvironmentVariable("PG_BIN");
            if (!string.IsNullOrEmpty(fromEnv))
            {
                return fromEnv;
            }

            // Debian layout: /usr/lib/postgresql/<major>/bin; prefer the newest major version.
            const string debianRoot = "/usr/lib/postgresql";
            if (Directory.Exists(debianRoot))
            {
                var newest = Directory.GetDirectories(debianRoot)
                    .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1))
                    .Where(x => File.Exists(Path.Combine(x.Dir, "initdb")))
                    .OrderByDescending(x => x.Version)
                    .Select(x => x.Dir)
                    .FirstOrDefault();
                if (newest is not null)
                {
                    return newest;
                }
            }

            return (Environment.GetEnvironmentVariable("PATH") ?? "")
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")));
        }

        private static bool IsRoot() => OperatingSystem.IsLinux() && Environment.UserName == "root";

        private static int FreePort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }
    }
}
