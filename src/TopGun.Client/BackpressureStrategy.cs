namespace TopGun.Client;

/// <summary>
/// What a write does when <see cref="TopGunClientOptions.MaxPendingOps"/> writes are waiting for
/// acknowledgement. Writes are always applied to the local replica first when they are accepted.
/// </summary>
public enum BackpressureStrategy
{
    /// <summary>
    /// The async writes (<c>SetAsync</c>, <c>RemoveAsync</c>, <c>AddAsync</c>) wait until the log drains
    /// below the limit. The synchronous writes cannot wait, so they throw
    /// <see cref="PendingOpsLimitExceededException"/> instead and leave the replica unchanged.
    /// </summary>
    Pause,

    /// <summary>Every write throws <see cref="PendingOpsLimitExceededException"/> and leaves the replica unchanged.</summary>
    Throw,

    /// <summary>
    /// The write is accepted and the oldest unsent op is dropped from the log: the replica keeps its
    /// value but the server never receives that op. A <see cref="BackpressureEvent"/> reports each drop.
    /// </summary>
    DropOldest,
}
