using System.Diagnostics;

namespace TopGun.Server.Clients;

/// <summary>
/// A token bucket: <see cref="Capacity"/> tokens at most, refilled at <see cref="RatePerSecond"/>. Lets bursts
/// through up to the capacity and holds the long-run rate. Thread-safe, since the connection-rate bucket is
/// shared by every accepting request; a rate of 0 means unlimited.
/// </summary>
internal sealed class TokenBucket
{
    private readonly Lock _lock = new();
    private readonly Func<long> _clock;
    private double _tokens;
    private long _last;

    public TokenBucket(double ratePerSecond, double capacity, Func<long>? clock = null)
    {
        if (ratePerSecond < 0 || capacity < 0) throw new ArgumentOutOfRangeException(nameof(ratePerSecond), "Rates and capacities must not be negative.");
        RatePerSecond = ratePerSecond;
        Capacity = capacity;
        _clock = clock ?? Stopwatch.GetTimestamp;
        _tokens = capacity;
        _last = _clock();
    }

    public double RatePerSecond { get; }

    public double Capacity { get; }

    public bool IsUnlimited => RatePerSecond == 0;

    /// <summary>Takes <paramref name="tokens"/> if they are all there; takes nothing otherwise.</summary>
    public bool TryTake(double tokens = 1)
    {
        if (IsUnlimited) return true;
        lock (_lock)
        {
            var now = _clock();
            _tokens = Math.Min(Capacity, _tokens + (now - _last) * RatePerSecond / Stopwatch.Frequency);
            _last = now;
            if (_tokens < tokens) return false;
            _tokens -= tokens;
            return true;
        }
    }
}
