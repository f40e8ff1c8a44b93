using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Lscb.CaseFlow.Benchmarks;

/// <summary>
/// What an administrator runs to rebuild the projections from the event log, as a child process against the same
/// database: the service's bulk command, <c>dotnet Lscb.CaseFlow.Api.dll facts-rebuild</c>, or Marten's own,
/// <c>projections rebuild</c>.
/// </summary>
internal static partial class RebuildCommand
{
    public sealed record Result(TimeSpan Command, TimeSpan Rebuild, double PeakRssMb, Profile Timings, CpuMeter.Usage Cpu);

    public static async Task<Result> RunAsync(string dll, string connectionString, bool bulk)
    {
        int? pid = null;
        await using var meter = await CpuMeter.StartAsync(connectionString, () => pid);
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(dll))!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in bulk ? new[] { dll, "facts-rebuild" } : [dll, "projections", "rebuild"])
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["ConnectionStrings__CaseFlow"] = connectionString;
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Logging__LogLevel__Lscb.CaseFlow.Api.ChildFactsProjection"] = "Debug";

        var timings = new Profile();
        var output = new List<string>();
        TimeSpan? reported = null;
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException("'dotnet' did not start.");
        pid = process.Id;
        void Read(string? line)
        {
            if (line is null || timings.TryAdd(line))
            {
                return;
            }

            // The commands' own measure of the rebuild, without the process's start: Marten's "Finished rebuilding
            // child-facts in 5610 ms", the bulk command's "*DEFAULT*: 200000 events, … in 2296 ms (87096 events/s)".
            if ((bulk ? Rebuilt() : Finished()).Match(line) is { Success: true } m)
            {
                reported = TimeSpan.FromMilliseconds(double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
            }

            lock (output)
            {
                output.Add(line);
            }
        }

        process.OutputDataReceived += (_, e) => Read(e.Data);
        process.ErrorDataReceived += (_, e) => Read(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // The peak resident set (VmHWM) is only readable while the process lives: read it until it ends.
        var peakKb = 0L;
        while (!process.WaitForExit(200))
        {
            peakKb = Math.Max(peakKb, PeakKb(process.Id));
        }

        await process.WaitForExitAsync();
        clock.Stop();
        var cpu = await meter.StopAsync();
        if (process.ExitCode != 0 || reported is null)
        {
            throw new InvalidOperationException(
                $"'{string.Join(' ', info.ArgumentList.Skip(1))}' exited with {process.ExitCode}:\n{string.Join('\n', output.TakeLast(40))}");
        }

        return new Result(clock.Elapsed, reported.Value, Math.Round(peakKb / 1024.0), timings, cpu);
    }

    private static long PeakKb(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    [GeneratedRegex(@"Finished rebuilding \S+ in (\d+) ms")]
    private static partial Regex Finished();

    [GeneratedRegex(@"^\S+: \d+ events, .* in (\d+) ms \(")]
    private static partial Regex Rebuilt();
}
