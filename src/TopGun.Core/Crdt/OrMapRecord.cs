using TopGun.Core.Clock;
using TopGun.Core.Values;

namespace TopGun.Core.Crdt;

/// <summary>An observed-remove map entry: a value tagged with the string form of the add's timestamp.</summary>
public sealed record OrMapRecord(Value Value, Timestamp Timestamp, string Tag, long? TtlMs = null)
{
    public bool IsExpired(long nowMillis) => TtlMs is { } ttl && Timestamp.Millis + ttl < nowMillis;
}
