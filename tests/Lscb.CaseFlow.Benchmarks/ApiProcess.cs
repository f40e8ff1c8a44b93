using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Lscb.CaseFlow.Benchmarks;

/// <summary>
/// The built API (<c>dotnet Lscb.CaseFlow.Api.dll</c>) as a child process on a free local port, the way it is
/// deployed (Production: the pre-generated code, no compiler): its start-up, its memory and its HTTP stack are part
/// of what is measured. It holds one API key with every role, made up for the run and given only to the process.
/// </summary>
internal sealed class ApiProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(2);

    /// <summary>The categories whose debug lines give where ingestion's time goes (see <see cref="Profile"/>).</summary>
    public static readonly string[] ProfiledCategories =
    [
        "Lscb.CaseFlow.Api.Endpoints.PostEvents",
        "Lscb.CaseFlow.Api.Ingestion.EventIngestor",
        "Lscb.CaseFlow.Api.ChildFactsProjection",
    ];

    private readonly Process _process;
    private readonly PosixSignalRegistration[] _signals;
    private readonly Profile _profile = new();

    private ApiProcess(Process process, Uri baseAddress, string apiKey)
    {
        _process = process;
        BaseAddress = baseAddress;
        ApiKey = apiKey;
        // Ctrl+C or a kill of the benchmark must not leave the API running (the signal then ends the benchmark as usual).
        _signals = [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM }.Select(s => PosixSignalRegistration.Create(s, _ => Kill(process)))];
    }

    public Uri BaseAddress { get; }

    /// <summary>The API's own process (<c>dotnet app.dll</c> runs it in the <c>dotnet</c> process itself).</summary>
    public int ProcessId => _process.Id;

    /// <summary>The run's key, with every role (<c>Authorization: Bearer …</c>).</summary>
    public string ApiKey { get; }

    /// <summary>The timings the API has logged so far; <see cref="Profile.Clear"/> starts again.</summary>
    public Profile Timings => _profile;

    /// <summary>An HTTP client for the API that sends the run's key.</summary>
    public HttpClient CreateClient()
    {
        var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(10) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ApiKey);
        return http;
    }

    /// <summary>A key of 40 random letters and digits (the API ignores keys under 24 characters).</summary>
    public static string NewApiKey()
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        return string.Create(40, alphabet, (chars, a) =>
        {
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = a[System.Security.Cryptography.RandomNumberGenerator.GetInt32(a.Length)];
            }
        });
    }

    /// <summary>From process start until <c>GET /health</c> first answered 200.</summary>
    public TimeSpan Ready { get; private set; }

    public static async Task<ApiProcess> StartAsync(string dll, string connectionString, IReadOnlyDictionary<string, string>? environment = null)
    {
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException("No API build: run 'dotnet build -c Release' or pass --api-dll.", dll);
        }

        var url = $"http://127.0.0.1:{FreePort()}";
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(dll))!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { dll, "--urls", url })
        {
            info.ArgumentList.Add(arg);
        }

        var apiKey = NewApiKey();
        info.Environment["ConnectionStrings__CaseFlow"] = connectionString;
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var category in ProfiledCategories)
        {
            info.Environment[$"Logging__LogLevel__{category}"] = "Debug";
        }

        info.Environment["CaseFlow__ApiKeys__0__Name"] = "benchmark";
        info.Environment["CaseFlow__ApiKeys__0__Key"] = apiKey;
        string[] roles = ["ingest", "analyst", "auditor", "admin"];
        for (var r = 0; r < roles.Length; r++)
        {
            info.Environment[$"CaseFlow__ApiKeys__0__Roles__{r}"] = roles[r];
        }

        info.Environment["CaseFlow__ApiKeys__0__Sources__0"] = "*";
        // The benchmark's four clients post as fast as they can: no rate limit may slow them.
        info.Environment["CaseFlow__RateLimit__PermitsPerMinute"] = "100000000";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        // The benchmark's own first request costs it a few hundred ms of compiling its HTTP stack: pay that before the
        // clock starts (nothing listens yet), so that readySeconds is the API's time alone.
        using (var warm = new HttpClient { Timeout = TimeSpan.FromSeconds(5) })
        {
            try
            {
                using var _ = await warm.GetAsync(new Uri(new Uri(url), "/health"));
            }
            catch (HttpRequestException)
            {
                // Refused, as expected.
            }
        }

        var clock = Stopwatch.StartNew();
        var process = Process.Start(info) ?? throw new InvalidOperationException("'dotnet' did not start.");
        var api = new ApiProcess(process, new Uri(url), apiKey);
        process.OutputDataReceived += (_, e) => api.Read(e.Data);
        process.ErrorDataReceived += (_, e) => api.Read(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await api.WaitUntilHealthyAsync(clock);
            return api;
        }
        catch
        {
            await api.DisposeAsync();
            throw;
        }
    }

    /// <summary>The process's peak resident set (VmHWM), in MB.</summary>
    public double PeakRssMb() => StatusMb("VmHWM:");

    /// <summary>The process's resident set now (VmRSS), in MB.</summary>
    public double RssMb() => StatusMb("VmRSS:");

    /// <summary>Starts the peak resident set again from the present one (Linux: 5 written to <c>/proc/PID/clear_refs</c>).</summary>
    public void ResetPeakRss() => File.WriteAllText($"/proc/{_process.Id}/clear_refs", "5");

    private double StatusMb(string field)
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        var kb = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        return kb / 1024.0;
    }

    public async ValueTask DisposeAsync()
    {
        Array.ForEach(_signals, s => s.Dispose());
        Kill(_process);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited, or already disposed.
        }
    }

    private async Task WaitUntilHealthyAsync(Stopwatch clock)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        while (clock.Elapsed < ReadyTimeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The API exited with code {_process.ExitCode} before it was ready.");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("/health", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Ready = clock.Elapsed;
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"GET /health did not answer 200 within {ReadyTimeout.TotalSeconds} s.");
    }

    /// <summary>Timing lines go to the profile; anything else is shown.</summary>
    private void Read(string? line)
    {
        if (line is not null && !_profile.TryAdd(line))
        {
            Console.Error.WriteLine($"[api] {line}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
