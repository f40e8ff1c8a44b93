using System.Diagnostics;

namespace Lscb.CaseFlow.Api.ReadModel;

/// <summary>Milliseconds between successive laps, for the debug timings of ingestion and the projection.</summary>
internal sealed class StageClock
{
    private long _last = Stopwatch.GetTimestamp();

    /// <summary>Milliseconds since the previous lap (or since the clock was made), to 0.01 ms.</summary>
    public double Lap()
    {
        var now = Stopwatch.GetTimestamp();
        var ms = Stopwatch.GetElapsedTime(_last, now).TotalMilliseconds;
        _last = now;
        return Math.Round(ms, 2);
    }
}
