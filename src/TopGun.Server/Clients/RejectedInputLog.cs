using Akka.Event;

namespace TopGun.Server.Clients;

/// <summary>
/// Allows at most N log lines about one client's rejected input per window, so a client sending
/// garbage in a loop cannot flood the node's log. One per connection, shared with its session children
/// (hence the lock), so the bound holds per client whichever actor rejects the input.
/// </summary>
internal sealed class RejectedInputLog(int limit, TimeSpan window, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _lock = new();
    private long _windowStart = long.MinValue;
    private int _count;

    /// <summary>Lines suppressed since the last one that was allowed.</summary>
    public int Suppressed { get; private set; }

    public bool ShouldLog()
    {
        lock (_lock) return ShouldLogLocked();
    }

    private bool ShouldLogLocked()
    {
        var now = _time.GetTimestamp();
        if (_windowStart == long.MinValue || _time.GetElapsedTime(_windowStart, now) >= window)
        {
            _windowStart = now;
            _count = 0;
        }
        if (_count < limit)
        {
            _count++;
            return true;
        }
        Suppressed++;
        return false;
    }

    public int TakeSuppressed()
    {
        lock (_lock) return TakeSuppressedLocked();
    }

    private int TakeSuppressedLocked()
    {
        var n = Suppressed;
        Suppressed = 0;
        return n;
    }

    /// <summary>Logs one line about <paramref name="clientId"/>'s rejected input, if the window allows; counts it otherwise.</summary>
    public void Warning(ILoggingAdapter log, string template, string clientId, object detail)
    {
        int suppressed;
        lock (_lock)
        {
            if (!ShouldLogLocked()) return;
            suppressed = TakeSuppressedLocked();
        }
        if (suppressed > 0)
            log.Warning(template + " ({2} similar lines suppressed)", clientId, detail, suppressed);
        else
            log.Warning(template, clientId, detail);
    }
}
