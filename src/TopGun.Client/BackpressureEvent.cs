namespace TopGun.Client;

public enum BackpressureEventKind
{
    /// <summary>The pending-op limit was reached.</summary>
    LimitReached,
    /// <summary>The log drained below the limit again.</summary>
    Resumed,
    /// <summary>A write was refused (strategies Pause for sync writes, Throw).</summary>
    WriteRejected,
    /// <summary>An op was dropped from the log (strategy DropOldest).</summary>
    OpDropped,
}

/// <summary>A change of the op log's backpressure situation.</summary>
public sealed record BackpressureEvent(BackpressureEventKind Kind, long PendingOps, string? DroppedOpId = null);
