using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;

namespace Lscb.CaseFlow.BrowserTests.Infrastructure;

/// <summary>
/// The built API as a child process (<c>dotnet Lscb.CaseFlow.Api.dll --urls http://127.0.0.1:PORT</c>) against its own
/// database, with <c>CaseFlow:SeedDemo=true</c> so that the demo data is loaded into the empty store, and the given API
/// keys (<c>CaseFlow__ApiKeys__N__…</c>, in its environment only). Its content root is the API project's folder, so
/// <c>wwwroot/</c> is served exactly as <c>dotnet run</c> serves it. <c>dotnet app.dll</c> runs the app in the
/// <c>dotnet</c> process itself, so <see cref="KillAsync"/> kills the API, not a wrapper. The fault tests link this file
/// too, and start the API without the demo data.
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(4);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log = new();

    private readonly string _readKey;

    private ApiProcess(Process process, Uri baseAddress, string readKey)
    {
        _process = process;
        BaseAddress = baseAddress;
        _readKey = readKey;
    }

    public Uri BaseAddress { get; }

    /// <summary>The last lines the API wrote, for failure messages.</summary>
    public string RecentLog => string.Join('\n', _log.TakeLast(60));

    /// <param name="connectionString">The API's database.</param>
    /// <param name="keys">Its API keys; the first must hold the analyst and auditor roles (to see that the demo data is loaded).</param>
    /// <param name="seedDemo">Whether to load the demo data and wait for it; without, it is ready once <c>/health</c> answers 200.</param>
    /// <param name="environment">More of its environment, winning over what is set here.</param>
    public static async Task<ApiProcess> StartAsync(
        string connectionString, IReadOnlyList<TestApiKey> keys, bool seedDemo = true, IReadOnlyDictionary<string, string>? environment = null)
    {
        var (projectDir, dll) = ApiBuild();
        var url = $"http://127.0.0.1:{FreePort()}";
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = projectDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { dll, "--urls", url, "--contentRoot", projectDir })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["ConnectionStrings__CaseFlow"] = connectionString;
        info.Environment["CaseFlow__SeedDemo"] = seedDemo ? "true" : "false";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Logging__LogLevel__Lscb"] = "Information";
        for (var i = 0; i < keys.Count; i++)
        {
            var prefix = $"CaseFlow__ApiKeys__{i}__";
            info.Environment[prefix + "Name"] = keys[i].Name;
            info.Environment[prefix + "Key"] = keys[i].Key;
            for (var r = 0; r < keys[i].Roles.Length; r++)
            {
                info.Environment[$"{prefix}Roles__{r}"] = keys[i].Roles[r];
            }

            for (var s = 0; s < keys[i].Sources.Length; s++)
            {
                info.Environment[$"{prefix}Sources__{s}"] = keys[i].Sources[s];
            }
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("'dotnet' did not start.");
        var api = new ApiProcess(process, new Uri(url), keys[0].Key);

        // Best effort when the test host ends without disposing the fixture: take the API down with it.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => api.KillQuietly();
        process.OutputDataReceived += (_, e) => api.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => api.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await (seedDemo ? api.WaitUntilSeededAsync() : api.WaitUntilHealthyAsync());
            return api;
        }
        catch
        {
            await api.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The built API run as a command line (<c>db-apply</c>, <c>db-grant ROLE</c>, …) against <paramref name="connectionString"/>,
    /// to its end: its exit code and everything it wrote.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunCommandAsync(string connectionString, IReadOnlyList<string> args, TimeSpan? timeout = null)
    {
        var (projectDir, dll) = ApiBuild();
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = projectDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["ConnectionStrings__CaseFlow"] = connectionString;
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        using var process = Process.Start(info) ?? throw new InvalidOperationException("'dotnet' did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{string.Join(' ', args)}' did not end in time.\n{await stdout}\n{await stderr}");
        }

        return (process.ExitCode, $"{await stdout}\n{await stderr}");
    }

    /// <summary>The API's own process (not a wrapper's).</summary>
    public int ProcessId => _process.Id;

    /// <summary>Whether the process still runs.</summary>
    public bool IsAlive => !_process.HasExited;

    /// <summary>The lines the API wrote (the last 500), to look for what it must never write.</summary>
    public IReadOnlyList<string> LogLines => [.. _log];

    /// <summary>The process's peak resident set (VmHWM) since it started or since <see cref="ResetPeakRss"/>, in MB.</summary>
    public double PeakRssMb()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
    }

    /// <summary>Starts the peak resident set again from the present one (Linux: 5 written to <c>/proc/PID/clear_refs</c>).</summary>
    public void ResetPeakRss() => File.WriteAllText($"/proc/{_process.Id}/clear_refs", "5");

    /// <summary>
    /// Kills the API outright: on Linux <see cref="Process.Kill()"/> sends SIGKILL, so no request finishes and no
    /// shutdown code runs, as in a crash or an out-of-memory kill. Returns once the process is gone.
    /// </summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        KillQuietly();
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private void KillQuietly()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone (or disposed).
        }
    }

    /// <summary>Listening, and <c>/health</c> answers 200.</summary>
    private async Task WaitUntilHealthyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < ReadyTimeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The API exited with code {_process.ExitCode} before it was ready.\n{RecentLog}");
            }

            try
            {
                using var health = await http.GetAsync(new Uri("/health", UriKind.Relative));
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Still starting; ask again.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }

        throw new TimeoutException($"The API was not healthy within {ReadyTimeout.TotalSeconds} s.\n{RecentLog}");
    }

    /// <summary>Healthy, and the demo data fully loaded: Naseem's journey exists and the event count has stopped moving.</summary>
    private async Task WaitUntilSeededAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _readKey);
        var clock = Stopwatch.StartNew();
        long? previous = null;
        while (clock.Elapsed < ReadyTimeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The API exited with code {_process.ExitCode} before it was ready.\n{RecentLog}");
            }

            try
            {
                using var health = await http.GetAsync(new Uri("/health", UriKind.Relative));
                using var journey = await http.GetAsync(new Uri("/api/children/NASEEM01/journey", UriKind.Relative));
                if (health.StatusCode == HttpStatusCode.OK && journey.StatusCode == HttpStatusCode.OK)
                {
                    var kpis = await http.GetFromJsonAsync<JsonElement>(new Uri("/api/kpis?from=1990-01-01&to=2030-12-31", UriKind.Relative));
                    var contacts = kpis.GetProperty("kpis").GetProperty("contacts").GetProperty("value").GetInt64();
                    if (contacts > 0 && contacts == previous)
                    {
                        return;
                    }

                    previous = contacts;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Busy loading; ask again.
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        throw new TimeoutException($"The API was not healthy with its demo data loaded within {ReadyTimeout.TotalSeconds} s.\n{RecentLog}");
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _log.Enqueue(line);
        while (_log.Count > 500 && _log.TryDequeue(out _))
        {
        }
    }

    /// <summary>The API project's folder and its build output for this test's configuration (the project reference builds it first).</summary>
    private static (string ProjectDir, string Dll) ApiBuild()
    {
        string Meta(string key) => typeof(ApiProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == key).Value ?? throw new InvalidOperationException($"No assembly metadata {key}.");

        var projectDir = Meta("CaseFlow.ApiProjectDir");
        var dll = Path.Combine(projectDir, "bin", Meta("CaseFlow.Configuration"), Meta("CaseFlow.TargetFramework"), "Lscb.CaseFlow.Api.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"No API build at {dll}: build the solution first (dotnet build -c {Meta("CaseFlow.Configuration")}).", dll);
        }

        return (projectDir, dll);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>An API key the test gives the API: a fresh random one per run, never written anywhere but the API's environment.</summary>
public sealed record TestApiKey(string Name, string Key, string[] Roles, string[] Sources)
{
    public static TestApiKey Generate(string name, string[] roles, string[] sources) =>
        new(name, Convert.ToBase64String(RandomNumberGenerator.GetBytes(30)).Replace('+', '-').Replace('/', '_'), roles, sources);

    /// <summary>Never the key itself, should a record end up in a test's output.</summary>
    public override string ToString() => $"{Name} ({string.Join(", ", Roles)})";
}
