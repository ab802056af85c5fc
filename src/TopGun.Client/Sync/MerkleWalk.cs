using TopGun.Client.Storage;

namespace TopGun.Client.Sync;

/// <summary>Progress of one map's Merkle pull on the current connection.</summary>
internal sealed class MerkleWalk(string mapName, MapKind kind)
{
    public string MapName { get; } = mapName;
    public MapKind Kind { get; } = kind;
    /// <summary>Bucket/leaf requests sent and not answered yet.</summary>
    public int Outstanding { get; set; }
    public bool RootReceived { get; set; }
    public bool Done { get; set; }
    /// <summary>Server HLC millis from the root response: the next SYNC_INIT's lastSyncTimestamp once the walk finished.</summary>
    public long ServerMillis { get; set; }
}
