using TopGun.Core.Clock;
using TopGun.Core.Values;

namespace TopGun.Core.Crdt;

/// <summary>
/// A last-writer-wins record: a value (a <see cref="Value.Null"/> value is a tombstone), the HLC
/// timestamp of the write, and an optional time-to-live in milliseconds from that timestamp.
/// </summary>
public sealed record LwwRecord(Value Value, Timestamp Timestamp, long? TtlMs = null)
{
    public bool IsTombstone => Value.IsNull;

    /// <summary>True when the record has a TTL that ran out before <paramref name="nowMillis"/>.</summary>
    public bool IsExpired(long nowMillis) => TtlMs is { } ttl && Timestamp.Millis + ttl < nowMillis;

    public static LwwRecord Tombstone(Timestamp timestamp) => new(Value.Null, timestamp);
}
