using System.Diagnostics;
using System.Globalization;

namespace TopGun.LoadGen.Measurement;

/// <summary>
/// Collects latency samples (thread-safe) and reports exact percentiles. Runs are bounded, so keeping
/// every sample is cheaper and more honest than a histogram's buckets.
/// </summary>
public sealed class LatencyRecorder
{
    private readonly List<double> _millis = [];
    private readonly Lock _lock = new();

    public int Count
    {
        get
        {
            lock (_lock) return _millis.Count;
        }
    }

    /// <summary>Records the time from <paramref name="startTimestamp"/> to <paramref name="endTimestamp"/> (both <see cref="Stopwatch"/> timestamps).</summary>
    public void Record(long startTimestamp, long endTimestamp, int weight = 1)
    {
        var ms = Stopwatch.GetElapsedTime(startTimestamp, endTimestamp).TotalMilliseconds;
        lock (_lock)
        {
            for (var i = 0; i < weight; i++) _millis.Add(ms);
        }
    }

    /// <summary>The p-th percentile (0..100) in milliseconds, nearest-rank; NaN without samples.</summary>
    public double Percentile(double p)
    {
        lock (_lock)
        {
            if (_millis.Count == 0) return double.NaN;
            _millis.Sort();
            var rank = (int)Math.Ceiling(p / 100.0 * _millis.Count);
            return _millis[Math.Clamp(rank - 1, 0, _millis.Count - 1)];
        }
    }

    public string Summary() => Count == 0
        ? "no samples"
        : string.Create(CultureInfo.InvariantCulture, $"p50 {Percentile(50):F2} ms, p99 {Percentile(99):F2} ms, max {Percentile(100):F2} ms ({Count} samples)");
}
