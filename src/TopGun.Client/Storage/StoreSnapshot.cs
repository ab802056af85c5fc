using TopGun.Core.Clock;
using TopGun.Core.Crdt;

namespace TopGun.Client.Storage;

/// <summary>Everything a restarted client reads back from its local store.</summary>
internal sealed class StoreSnapshot
{
    public string? NodeId { get; set; }
    public long LastOpId { get; set; }
    public Timestamp? ClockLast { get; set; }
    public List<StoredMap> Maps { get; } = [];
    public List<PendingOp> PendingOps { get; } = [];
}

internal sealed class StoredMap(string name, MapKind kind, long lastSyncTimestamp)
{
    public string Name { get; } = name;
    public MapKind Kind { get; } = kind;
    public long LastSyncTimestamp { get; } = lastSyncTimestamp;
    public List<KeyValuePair<string, LwwRecord>> LwwRecords { get; } = [];
    public List<KeyValuePair<string, OrMapRecord>> OrRecords { get; } = [];
    public List<KeyValuePair<string, string>> OrTombstones { get; } = [];
}
