using System.Runtime.InteropServices;
using TopGun.Core.Clock;
using TopGun.Core.Merkle;
using TopGun.Core.Values;

namespace TopGun.Core.Crdt;

/// <summary>
/// Last-writer-wins map (protocol §6): per key the record with the greatest HLC timestamp wins,
/// removes are tombstones, and values are never compared. Not thread-safe: owned by one actor or
/// guarded by its caller. TTL expiry is judged against the wall clock of the map's <see cref="Hlc"/>.
/// </summary>
public sealed class LwwMap
{
    private readonly Hlc _hlc;
    private readonly Dictionary<string, LwwRecord> _records = new(StringComparer.Ordinal);
    // Live records with a TTL, so expiry scans only the keys that can expire.
    private readonly HashSet<string> _ttlKeys = new(StringComparer.Ordinal);

    public LwwMap(Hlc hlc)
    {
        _hlc = hlc ?? throw new ArgumentNullException(nameof(hlc));
        Records = _records.AsReadOnly();
    }

    /// <summary>Kept in step with every change to the map.</summary>
    public LwwMerkleTree Merkle { get; } = new();

    /// <summary>Number of records, tombstones and expired records included.</summary>
    public int Count => _records.Count;

    /// <summary>Every record, tombstones and expired records included (for sync leaves and snapshots).</summary>
    public IReadOnlyDictionary<string, LwwRecord> Records { get; }

    /// <summary>Live entries: neither tombstoned nor expired.</summary>
    public IEnumerable<KeyValuePair<string, Value>> Entries
    {
        get
        {
            var now = _hlc.WallMillis();
            foreach (var (key, record) in _records)
                if (IsLive(record, now)) yield return new(key, record.Value);
        }
    }

    public LwwRecord Set(string key, Value value, long? ttlMs = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (ttlMs is <= 0) throw new ArgumentOutOfRangeException(nameof(ttlMs), ttlMs, "TTL must be a positive number of milliseconds");
        var record = new LwwRecord(value, _hlc.Now(), ttlMs);
        Store(key, record);
        return record;
    }

    public LwwRecord Remove(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var tombstone = LwwRecord.Tombstone(_hlc.Now());
        Store(key, tombstone);
        return tombstone;
    }

    /// <summary>
    /// Accepts <paramref name="remote"/> iff there is no local record or its timestamp is strictly
    /// greater; equal timestamps keep the local record. The clock observes the remote timestamp
    /// first, so a drift rejection under <see cref="DriftPolicy.Strict"/> leaves the map unchanged.
    /// </summary>
    /// <returns>Whether the map changed.</returns>
    public bool Merge(string key, LwwRecord remote)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(remote);
        _hlc.Update(remote.Timestamp);
        // One hash and probe of the key for both the comparison and the write.
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_records, key, out var existed);
        if (existed && remote.Timestamp <= slot!.Timestamp) return false;
        slot = remote;
        Track(key, remote);
        return true;
    }

    /// <summary>The live value, or null when the key is absent, tombstoned or expired.</summary>
    public Value? Get(string key) =>
        _records.TryGetValue(key, out var record) && IsLive(record, _hlc.WallMillis()) ? record.Value : null;

    /// <summary>The raw record, tombstones and expired records included.</summary>
    public LwwRecord? GetRecord(string key) => _records.GetValueOrDefault(key);

    /// <summary>Drops tombstones strictly older than <paramref name="olderThan"/> from the map and its tree.</summary>
    /// <returns>The pruned keys.</returns>
    public IReadOnlyList<string> Prune(Timestamp olderThan)
    {
        List<string>? pruned = null;
        foreach (var (key, record) in _records)
            if (record.IsTombstone && record.Timestamp < olderThan) (pruned ??= []).Add(key);
        if (pruned is null) return [];
        foreach (var key in pruned)
        {
            _records.Remove(key);
            Merkle.Remove(key);
        }
        return pruned;
    }

    /// <summary>
    /// Turns every expired TTL record into a tombstone at <c>{millis + ttlMs, 0, nodeId}</c>, where the
    /// node id is <paramref name="tombstoneNodeId"/> or else the clock's. Replicas that expire with the
    /// same node id derive identical tombstones, so independent expiry needs no coordination; with
    /// different ids they still converge through the ordinary LWW rule (greater node id wins).
    /// </summary>
    /// <returns>The tombstones written, for the caller to persist and broadcast.</returns>
    public IReadOnlyList<KeyValuePair<string, LwwRecord>> ExpireRecords(string? tombstoneNodeId = null)
    {
        if (_ttlKeys.Count == 0) return [];
        var now = _hlc.WallMillis();
        List<KeyValuePair<string, LwwRecord>>? expired = null;
        foreach (var key in _ttlKeys)
        {
            var record = _records[key];
            if (!record.IsExpired(now)) continue;
            var tombstone = LwwRecord.Tombstone(new Timestamp(record.Timestamp.Millis + record.TtlMs!.Value, 0, tombstoneNodeId ?? _hlc.NodeId));
            // A non-positive remote TTL would put the tombstone at or before the write it ends; such a
            // record stays (invisible to reads) rather than break the LWW order.
            if (tombstone.Timestamp <= record.Timestamp) continue;
            (expired ??= []).Add(new(key, tombstone));
        }
        if (expired is null) return [];
        foreach (var (key, tombstone) in expired) Store(key, tombstone);
        return expired;
    }

    /// <summary>Forgets every record (a client told to reset its replica).</summary>
    public void Clear()
    {
        _records.Clear();
        _ttlKeys.Clear();
        Merkle.Clear();
    }

    private void Store(string key, LwwRecord record)
    {
        _records[key] = record;
        Track(key, record);
    }

    /// <summary>Brings the TTL index and the Merkle tree in step with a record just stored under <paramref name="key"/>.</summary>
    private void Track(string key, LwwRecord record)
    {
        if (record.TtlMs is not null && !record.IsTombstone) _ttlKeys.Add(key);
        // Most maps never see a TTL; then there is nothing to remove and the key need not be hashed.
        else if (_ttlKeys.Count != 0) _ttlKeys.Remove(key);
        Merkle.Update(key, record.Timestamp);
    }

    private static bool IsLive(LwwRecord record, long nowMillis) => !record.IsTombstone && !record.IsExpired(nowMillis);
}
