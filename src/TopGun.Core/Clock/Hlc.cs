namespace TopGun.Core.Clock;

/// <summary>What a clock does with a remote timestamp too far ahead of local wall time.</summary>
public enum DriftPolicy
{
    /// <summary>Accept it (the clock jumps ahead) and report through <see cref="Hlc.DriftDetected"/>.</summary>
    Warn,
    /// <summary>Refuse it with <see cref="ClockDriftException"/>; the clock is unchanged.</summary>
    Strict,
}

public sealed class ClockDriftException(Timestamp remote, long driftMillis, long maxDriftMillis)
    : Exception($"Remote timestamp {remote} is {driftMillis} ms ahead of local wall time (max {maxDriftMillis} ms)")
{
    public Timestamp Remote { get; } = remote;
    public long DriftMillis { get; } = driftMillis;
}

/// <summary>
/// Hybrid Logical Clock (protocol §6). Thread-safe: the client library calls it from application
/// threads and its sync actor alike. Never issues a timestamp ≤ one it issued or received.
/// </summary>
public sealed class Hlc
{
    public const long DefaultMaxDriftMillis = 60_000;

    // A dedicated lock is cheaper to take uncontended than a monitor on a plain object.
    private readonly Lock _gate = new();
    private readonly ITimeSource _time;
    private long _lastMillis;
    private int _lastCounter;

    public Hlc(string nodeId, ITimeSource? time = null, long maxDriftMillis = DefaultMaxDriftMillis, DriftPolicy policy = DriftPolicy.Warn)
    {
        NodeId = Clock.NodeId.Validate(nodeId);
        _time = time ?? SystemTimeSource.Instance;
        MaxDriftMillis = maxDriftMillis;
        Policy = policy;
    }

    public string NodeId { get; }
    public long MaxDriftMillis { get; }
    public DriftPolicy Policy { get; }

    /// <summary>Raised (outside the clock's lock) when a remote timestamp exceeds the drift limit under <see cref="DriftPolicy.Warn"/>.</summary>
    public event Action<Timestamp, long>? DriftDetected;

    /// <summary>The last timestamp issued or observed.</summary>
    public Timestamp Last
    {
        get { lock (_gate) return new Timestamp(_lastMillis, _lastCounter, NodeId); }
    }

    public long WallMillis() => _time.NowMillis();

    public Timestamp Now()
    {
        var wall = _time.NowMillis();
        lock (_gate)
        {
            if (wall > _lastMillis)
            {
                _lastMillis = wall;
                _lastCounter = 0;
            }
            else
            {
                _lastCounter++;
            }
            return new Timestamp(_lastMillis, _lastCounter, NodeId);
        }
    }

    /// <summary>Advances the clock past a received timestamp.</summary>
    public void Update(Timestamp remote)
    {
        var wall = _time.NowMillis();
        var drift = remote.Millis - wall;
        if (drift > MaxDriftMillis)
        {
            if (Policy == DriftPolicy.Strict) throw new ClockDriftException(remote, drift, MaxDriftMillis);
            DriftDetected?.Invoke(remote, drift);
        }

        lock (_gate)
        {
            var max = Math.Max(Math.Max(_lastMillis, wall), remote.Millis);
            if (max == _lastMillis && max == remote.Millis) _lastCounter = Math.Max(_lastCounter, remote.Counter) + 1;
            else if (max == _lastMillis) _lastCounter++;
            else if (max == remote.Millis) _lastCounter = remote.Counter + 1;
            else _lastCounter = 0;
            _lastMillis = max;
        }
    }

    /// <summary>Restores a clock from persisted state so a restarted node never goes backwards.</summary>
    public void Restore(Timestamp last)
    {
        lock (_gate)
        {
            if (last.Millis > _lastMillis || (last.Millis == _lastMillis && last.Counter > _lastCounter))
            {
                _lastMillis = last.Millis;
                _lastCounter = last.Counter;
            }
        }
    }
}
