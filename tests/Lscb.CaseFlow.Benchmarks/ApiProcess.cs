using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Lscb.CaseFlow.Benchmarks;

/// <summary>
/// The built API (<c>dotnet Lscb.CaseFlow.Api.dll</c>) as a child process on a free local port, the way it is
/// deployed: its start-up, its memory and its HTTP stack are part of what is measured.
/// </summary>
internal sealed class ApiProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(2);

    private readonly Process _process;
    private readonly PosixSignalRegistration[] _signals;

    private ApiProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        // Ctrl+C or a kill of the benchmark must not leave the API running (the signal then ends the benchmark as usual).
        _signals = [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM }.Select(s => PosixSignalRegistration.Create(s, _ => Kill(process)))];
    }

    public Uri BaseAddress { get; }

    /// <summary>From process start until <c>GET /health</c> first answered 200.</summary>
    public TimeSpan Ready { get; private set; }

    public static async Task<ApiProcess> StartAsync(string dll, string connectionString)
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

        info.Environment["ConnectionStrings__CaseFlow"] = connectionString;
        info.Environment["Logging__LogLevel__Default"] = "Warning";

        var clock = Stopwatch.StartNew();
        var process = Process.Start(info) ?? throw new InvalidOperationException("'dotnet' did not start.");
        process.OutputDataReceived += (_, e) => Forward(e.Data);
        process.ErrorDataReceived += (_, e) => Forward(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var api = new ApiProcess(process, new Uri(url));
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
    public double PeakRssMb()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
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

    private static void Forward(string? line)
    {
        if (line is not null)
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
