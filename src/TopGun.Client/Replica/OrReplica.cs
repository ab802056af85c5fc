using TopGun.Client.Internal;
using TopGun.Client.Storage;
using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Protocol;
using TopGun.Core.Values;

namespace TopGun.Client.Replica;

/// <summary>
/// One OR map of the local replica. Besides the Core map it remembers which key each tombstone
/// belongs to, because ORMAP_PUSH_DIFF must carry only a key's own tombstones (the server unions an
/// entry's tombstones into that key, so the map-wide set would make keys depend on push history).
/// </summary>
internal sealed class OrReplica : IMapReplica
{
    private readonly object _gate = new();
    private readonly OrMap _map;
    private readonly StoreWriter _writer;
    private readonly Dictionary<string, HashSet<string>> _keyTombstones = new(StringComparer.Ordinal);
    private long _lastSync;

    public OrReplica(string name, Hlc clock, StoreWriter writer, long lastSyncTimestamp = 0)
    {
        Name = name;
        _map = new OrMap(clock);
        _writer = writer;
        _lastSync = lastSyncTimestamp;
    }

    public string Name { get; }

    public MapKind Kind => MapKind.Or;

    public bool WalksLocalOnlyBuckets => true;

    /// <summary>Key changed; the value is the key's live values after the change.</summary>
    public Broadcast<MapChange<IReadOnlyList<Value>>> Changes { get; } = new();

    public long LastSyncTimestamp
    {
        get => Interlocked.Read(ref _lastSync);
        set
        {
            Interlocked.Exchange(ref _lastSync, value);
            _writer.Enqueue(new StoreWork.SetLastSync(Name, value));
        }
    }

    public void Restore(string key, OrMapRecord record)
    {
        lock (_gate) _map.Apply(key, record);
    }

    public void RestoreTombstone(string key, string tag)
    {
        lock (_gate)
        {
            _map.ApplyTombstone(tag);
            TombstonesOf(key).Add(tag);
        }
    }

    public OrMapRecord AddLocal(string key, Value value, long? ttlMs)
    {
        OrMapRecord record;
        IReadOnlyList<Value> values;
        lock (_gate)
        {
            record = _map.Add(key, value, ttlMs);
            values = _map.Get(key);
        }
        _writer.Enqueue(new StoreWork.PutOr(Name, key, record));
        Notify(key, values, ChangeOrigin.Local);
        return record;
    }

    /// <returns>The tombstoned tags, one OR_REMOVE op each.</returns>
    public IReadOnlyList<string> RemoveLocal(string key, Value value)
    {
        IReadOnlyList<string> tags;
        IReadOnlyList<Value> values;
        lock (_gate)
        {
            tags = _map.Remove(key, value);
            foreach (var tag in tags) TombstonesOf(key).Add(tag);
            values = _map.Get(key);
        }
        foreach (var tag in tags)
        {
            _writer.Enqueue(new StoreWork.DeleteOr(Name, tag));
            _writer.Enqueue(new StoreWork.PutOrTombstone(Name, key, tag));
        }
        if (tags.Count > 0) Notify(key, values, ChangeOrigin.Local);
        return tags;
    }

    public bool ApplyRemote(string key, OrMapRecord record)
    {
        IReadOnlyList<Value> values;
        lock (_gate)
        {
            if (!_map.Apply(key, record)) return false;
            values = _map.Get(key);
        }
        _writer.Enqueue(new StoreWork.PutOr(Name, key, record));
        Notify(key, values, ChangeOrigin.Remote);
        return true;
    }

    public bool ApplyRemoteTombstone(string key, string tag)
    {
        IReadOnlyList<Value> values;
        string owner;
        lock (_gate)
        {
            owner = _map.TryGetKeyOfTag(tag, out var k) ? k : key;
            if (!_map.ApplyTombstone(tag)) return false;
            TombstonesOf(owner).Add(tag);
            values = _map.Get(owner);
        }
        _writer.Enqueue(new StoreWork.DeleteOr(Name, tag));
        _writer.Enqueue(new StoreWork.PutOrTombstone(Name, owner, tag));
        Notify(owner, values, ChangeOrigin.Remote);
        return true;
    }

    public bool MergeRemote(OrMapEntry entry)
    {
        MergeKeyResult result;
        IReadOnlyList<Value> values;
        lock (_gate)
        {
            result = _map.MergeKey(entry.Key, entry.Records, entry.Tombstones);
            foreach (var tag in result.NewTombstones) TombstonesOf(entry.Key).Add(tag);
            values = _map.Get(entry.Key);
        }
        if (!result.Changed) return false;
        foreach (var record in result.AddedOrUpdated) _writer.Enqueue(new StoreWork.PutOr(Name, entry.Key, record));
        foreach (var (_, removed) in result.Removed) _writer.Enqueue(new StoreWork.DeleteOr(Name, removed.Tag));
        foreach (var tag in result.NewTombstones) _writer.Enqueue(new StoreWork.PutOrTombstone(Name, entry.Key, tag));
        Notify(entry.Key, values, ChangeOrigin.Remote);
        return true;
    }

    /// <summary>This replica's own state for <paramref name="keys"/>, as ORMAP_PUSH_DIFF entries.</summary>
    public List<OrMapEntry> EntriesFor(IEnumerable<string> keys)
    {
        var entries = new List<OrMapEntry>();
        lock (_gate)
        {
            foreach (var key in keys.Distinct(StringComparer.Ordinal))
            {
                var records = _map.GetRecords(key, includeExpired: true);
                var tombstones = _keyTombstones.TryGetValue(key, out var t) ? t.ToArray() : [];
                if (records.Count == 0 && tombstones.Length == 0) continue;
                entries.Add(new OrMapEntry(key, records.ToArray(), tombstones));
            }
        }
        return entries;
    }

    public IReadOnlyList<Value> Get(string key)
    {
        lock (_gate) return _map.Get(key);
    }

    public List<string> Keys()
    {
        lock (_gate) return _map.Keys.ToList();
    }

    public uint RootHash
    {
        get { lock (_gate) return _map.Merkle.RootHash; }
    }

    public Dictionary<char, uint> GetBuckets(string path)
    {
        lock (_gate) return new Dictionary<char, uint>(_map.Merkle.GetBuckets(path));
    }

    public IReadOnlyCollection<string> GetKeysInBucket(string path)
    {
        lock (_gate) return _map.Merkle.GetKeysInBucket(path);
    }

    public Message SyncInit()
    {
        var buckets = GetBuckets("").Select(b => new KeyValuePair<string, uint>(b.Key.ToString(), b.Value)).ToArray();
        return new OrMapSyncInitMessage(Name, RootHash, new WireMap<uint>(buckets), LastSyncTimestamp);
    }

    public Message BucketRequest(string path) => new OrMapMerkleReqBucketMessage(Name, path);

    public void ApplyServerEvent(ServerEventPayload ev)
    {
        switch (ev.EventType)
        {
            case "OR_ADD" when ev.OrRecord is { } record:
                ApplyRemote(ev.Key, record);
                break;
            case "OR_REMOVE" when ev.OrTag is { } tag:
                ApplyRemoteTombstone(ev.Key, tag);
                break;
        }
    }

    public void ResetKeeping(IEnumerable<ClientOp> pendingOps)
    {
        Clear();
        foreach (var op in pendingOps)
        {
            if (op.OrRecord is { } record) ApplyRemote(op.Key, record);
            else if (op.OrTag is { } tag) ApplyRemoteTombstone(op.Key, tag);
        }
    }

    /// <summary>This replica's side of one leaf exchange: merges the server's entries, returns what the server lacks.</summary>
    public OrMapPushDiffMessage? MergeLeaf(OrMapSyncRespLeafMessage leaf)
    {
        var keys = new List<string>();
        foreach (var entry in leaf.Entries)
        {
            MergeRemote(entry);
            keys.Add(entry.Key);
        }
        keys.AddRange(GetKeysInBucket(leaf.Path));
        var push = EntriesFor(keys);
        return push.Count > 0 ? new OrMapPushDiffMessage(Name, push.ToArray()) : null;
    }

    public void Clear()
    {
        List<string> keys;
        lock (_gate)
        {
            keys = _map.Keys.ToList();
            _map.Clear();
            _keyTombstones.Clear();
        }
        _writer.Enqueue(new StoreWork.ClearMap(Name));
        Interlocked.Exchange(ref _lastSync, 0);
        foreach (var key in keys) Notify(key, [], ChangeOrigin.Remote);
    }

    public void Prune(Timestamp olderThan)
    {
        IReadOnlyList<string> pruned;
        lock (_gate)
        {
            pruned = _map.Prune(olderThan);
            if (pruned.Count > 0)
            {
                var set = pruned.ToHashSet(StringComparer.Ordinal);
                foreach (var tags in _keyTombstones.Values) tags.RemoveWhere(set.Contains);
            }
        }
        foreach (var tag in pruned) _writer.Enqueue(new StoreWork.DeleteOrTombstone(Name, tag));
    }

    private HashSet<string> TombstonesOf(string key)
    {
        if (!_keyTombstones.TryGetValue(key, out var tags))
        {
            tags = new HashSet<string>(StringComparer.Ordinal);
            _keyTombstones[key] = tags;
        }
        return tags;
    }

    private void Notify(string key, IReadOnlyList<Value> values, ChangeOrigin origin)
    {
        if (Changes.HasObservers) Changes.Publish(new MapChange<IReadOnlyList<Value>>(Name, key, values, values.Count == 0, origin));
    }
}
