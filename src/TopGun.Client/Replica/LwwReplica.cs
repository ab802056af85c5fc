using TopGun.Client.Internal;
using TopGun.Client.Storage;
using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Protocol;
using TopGun.Core.Values;

namespace TopGun.Client.Replica;

/// <summary>
/// One LWW map of the local replica: the Core map behind a lock (application threads and the sync
/// actor share it), write-through to the store writer, and the change feed. Reads never leave memory.
/// </summary>
internal sealed class LwwReplica : IMapReplica
{
    private readonly object _gate = new();
    private readonly LwwMap _map;
    private readonly StoreWriter _writer;
    private long _lastSync;

    public LwwReplica(string name, Hlc clock, StoreWriter writer, long lastSyncTimestamp = 0)
    {
        Name = name;
        _map = new LwwMap(clock);
        _writer = writer;
        _lastSync = lastSyncTimestamp;
    }

    public string Name { get; }

    public MapKind Kind => MapKind.Lww;

    public bool WalksLocalOnlyBuckets => false;

    public Broadcast<MapChange<Value>> Changes { get; } = new();

    public long LastSyncTimestamp
    {
        get => Interlocked.Read(ref _lastSync);
        set
        {
            Interlocked.Exchange(ref _lastSync, value);
            _writer.Enqueue(new StoreWork.SetLastSync(Name, value));
        }
    }

    /// <summary>Restores a stored record at startup, without persisting or notifying.</summary>
    public void Restore(string key, LwwRecord record)
    {
        lock (_gate) _map.Merge(key, record);
    }

    public LwwRecord SetLocal(string key, Value value, long? ttlMs)
    {
        LwwRecord record;
        lock (_gate) record = _map.Set(key, value, ttlMs);
        _writer.Enqueue(new StoreWork.PutLww(Name, key, record));
        if (Changes.HasObservers) Changes.Publish(new MapChange<Value>(Name, key, value, false, ChangeOrigin.Local));
        return record;
    }

    public LwwRecord RemoveLocal(string key)
    {
        LwwRecord record;
        lock (_gate) record = _map.Remove(key);
        _writer.Enqueue(new StoreWork.PutLww(Name, key, record));
        if (Changes.HasObservers) Changes.Publish(new MapChange<Value>(Name, key, null, true, ChangeOrigin.Local));
        return record;
    }

    /// <summary>Merges a record from the server; persists and notifies only when the replica changed.</summary>
    public bool MergeRemote(string key, LwwRecord record, ChangeOrigin origin = ChangeOrigin.Remote)
    {
        Value? live;
        lock (_gate)
        {
            if (!_map.Merge(key, record)) return false;
            live = _map.Get(key);
        }
        _writer.Enqueue(new StoreWork.PutLww(Name, key, record));
        if (Changes.HasObservers) Changes.Publish(new MapChange<Value>(Name, key, live, live is null, origin));
        return true;
    }

    public void MergeLeaf(SyncRespLeafMessage leaf)
    {
        foreach (var item in leaf.Records) MergeRemote(item.Key, item.Record);
    }

    public Value? Get(string key)
    {
        lock (_gate) return _map.Get(key);
    }

    public bool Contains(string key)
    {
        lock (_gate) return _map.GetRecord(key) is not null;
    }

    public List<KeyValuePair<string, Value>> Entries()
    {
        lock (_gate) return _map.Entries.ToList();
    }

    public uint RootHash
    {
        get { lock (_gate) return _map.Merkle.RootHash; }
    }

    public Dictionary<char, uint> GetBuckets(string path)
    {
        lock (_gate) return new Dictionary<char, uint>(_map.Merkle.GetBuckets(path));
    }

    public Message SyncInit() => new SyncInitMessage(Name, LastSyncTimestamp);

    public Message BucketRequest(string path) => new MerkleReqBucketMessage(Name, path);

    public void ApplyServerEvent(ServerEventPayload ev)
    {
        // An OR event that carries its OR part belongs to an OR map of the same name, never here.
        if (ev.EventType == "OR_ADD" && ev.OrRecord is not null) return;
        if (ev.EventType == "OR_REMOVE" && ev.OrTag is not null) return;
        if (ev.Record is { } record) MergeRemote(ev.Key, record);
    }

    public void ResetKeeping(IEnumerable<ClientOp> pendingOps)
    {
        Clear();
        foreach (var op in pendingOps)
            if (op.Record is { } record) MergeRemote(op.Key, record, ChangeOrigin.Local);
    }

    /// <summary>Forgets every record (SYNC_RESET_REQUIRED); the caller re-applies unacknowledged local writes.</summary>
    public void Clear()
    {
        List<string> keys;
        lock (_gate)
        {
            keys = _map.Records.Keys.ToList();
            _map.Clear();
        }
        _writer.Enqueue(new StoreWork.ClearMap(Name));
        Interlocked.Exchange(ref _lastSync, 0);
        if (Changes.HasObservers)
            foreach (var key in keys) Changes.Publish(new MapChange<Value>(Name, key, null, true, ChangeOrigin.Remote));
    }

    public void Prune(Timestamp olderThan)
    {
        IReadOnlyList<string> pruned;
        lock (_gate) pruned = _map.Prune(olderThan);
        foreach (var key in pruned) _writer.Enqueue(new StoreWork.DeleteLww(Name, key));
    }
}
