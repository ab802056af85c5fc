using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Merkle;
using TopGun.Core.Queries;
using TopGun.Core.Values;

namespace TopGun.Server.Maps;

/// <summary>
/// The pure core of a map partition: one LWW or OR map (the kind is fixed by the first change), with
/// the partition's rules around it. A command is merged at once and returns the event that records
/// exactly what changed (<see cref="PartitionUpdate"/>); recovery replays events and snapshots through
/// <see cref="ApplyEvent"/> / <see cref="ApplySnapshot"/>. Every event is a CRDT merge or a prune, so
/// replaying one whose effect is already present changes nothing. Not thread-safe: owned by one actor.
/// </summary>
public sealed class PartitionState
{
    private readonly Hlc _hlc;
    private readonly int _partitionCount;
    // OR tombstones are not keyed by the map itself; a leaf must carry the ones relevant to its keys.
    private readonly Dictionary<string, string> _tombstoneKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _tombstonesByKey = new(StringComparer.Ordinal);
    // OR keys that may hold a record with a TTL, so expiry scans them and not the whole map.
    private readonly HashSet<string> _orTtlKeys = new(StringComparer.Ordinal);

    public PartitionState(string mapName, string partition, int partitionCount, Hlc hlc)
    {
        MapName = mapName ?? throw new ArgumentNullException(nameof(mapName));
        Partition = partition ?? throw new ArgumentNullException(nameof(partition));
        _partitionCount = partitionCount;
        _hlc = hlc ?? throw new ArgumentNullException(nameof(hlc));
        if (partition.Length != PartitionKey.PrefixLength(partitionCount))
            throw new ArgumentException($"Partition '{partition}' does not fit {partitionCount} partitions.", nameof(partition));
    }

    public string MapName { get; }

    public string Partition { get; }

    /// <summary>Null until the first change fixes it.</summary>
    public MapKind? Kind { get; private set; }

    /// <summary>The LWW map, when <see cref="Kind"/> is <see cref="MapKind.Lww"/>.</summary>
    public LwwMap? Lww { get; private set; }

    /// <summary>The OR map, when <see cref="Kind"/> is <see cref="MapKind.Or"/>.</summary>
    public OrMap? Or { get; private set; }

    /// <summary>The partition's subtree hash: equals the whole map tree's bucket hash at <see cref="Partition"/>.</summary>
    public uint RootHash => Kind switch
    {
        MapKind.Lww => Lww!.Merkle.GetHash(Partition),
        MapKind.Or => Or!.Merkle.GetHash(Partition),
        _ => 0,
    };

    public bool Owns(string key) => string.Equals(PartitionKey.Of(key, _partitionCount), Partition, StringComparison.Ordinal);

    // ---- commands -------------------------------------------------------------------------

    public PartitionUpdate ApplyLww(IReadOnlyList<LwwOp> ops)
    {
        ArgumentNullException.ThrowIfNull(ops);
        if (Kind == MapKind.Or) return RejectAll(ops.Select(o => o.OpId), MapKind.Lww);
        var map = Lww ?? new LwwMap(_hlc);
        var outcomes = new OpOutcome[ops.Count];
        List<KeyValuePair<string, LwwRecord>>? changed = null;
        for (var i = 0; i < ops.Count; i++)
        {
            var op = ops[i];
            if (KeyError(op.Key) is { } error)
            {
                outcomes[i] = OpOutcome.Failed(op.OpId, error);
                continue;
            }
            try
            {
                if (map.Merge(op.Key, op.Record)) (changed ??= []).Add(new(op.Key, op.Record));
                outcomes[i] = OpOutcome.Ok(op.OpId);
            }
            catch (ClockDriftException e)
            {
                outcomes[i] = OpOutcome.Failed(op.OpId, e.Message);
            }
        }
        if (changed is null) return new PartitionUpdate(null, [], outcomes);
        FixKind(MapKind.Lww, map, null);
        var changes = changed.Select(c => new MapChange(c.Key, c.Value, null, null)).ToArray();
        return new PartitionUpdate(new LwwRecordsMerged(changed, _hlc.Now()), changes, outcomes);
    }

    public PartitionUpdate ApplyOr(IReadOnlyList<OrOp> ops)
    {
        ArgumentNullException.ThrowIfNull(ops);
        if (Kind == MapKind.Lww) return RejectAll(ops.Select(o => o.OpId), MapKind.Or);
        var map = Or ?? new OrMap(_hlc);
        var outcomes = new OpOutcome[ops.Count];
        var builder = new OrChangeBuilder();
        for (var i = 0; i < ops.Count; i++)
        {
            var op = ops[i];
            if (KeyError(op.Key) is { } error)
            {
                outcomes[i] = OpOutcome.Failed(op.OpId, error);
                continue;
            }
            if ((op.Add is null) == (op.RemoveTag is null))
            {
                outcomes[i] = OpOutcome.Failed(op.OpId, "An OR op must carry either a record to add or a tag to remove.");
                continue;
            }
            try
            {
                if (op.Add is { } add)
                {
                    if (map.Apply(op.Key, add))
                    {
                        builder.Record(op.Key, add);
                        TrackTtl(op.Key, add);
                    }
                }
                else
                {
                    var tag = op.RemoveTag!;
                    var owner = map.TryGetKeyOfTag(tag, out var live) ? live : op.Key;
                    if (map.ApplyTombstone(tag)) builder.Tombstone(Attribute(tag, owner), tag);
                }
                outcomes[i] = OpOutcome.Ok(op.OpId);
            }
            catch (ClockDriftException e)
            {
                outcomes[i] = OpOutcome.Failed(op.OpId, e.Message);
            }
        }
        return FinishOr(map, builder, outcomes);
    }

    /// <summary>ORMAP_PUSH_DIFF: merges whole entries; their tombstones are kept (and persisted) even when they remove nothing here.</summary>
    public PartitionUpdate MergeOrEntries(IReadOnlyList<OrEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (Kind == MapKind.Lww)
            return new PartitionUpdate(null, [], [OpOutcome.Failed(null, KindError(MapKind.Or))]);
        var map = Or ?? new OrMap(_hlc);
        var builder = new OrChangeBuilder();
        var outcomes = new List<OpOutcome>();
        foreach (var entry in entries)
        {
            if (KeyError(entry.Key) is { } error)
            {
                outcomes.Add(OpOutcome.Failed(entry.Key, error));
                continue;
            }
            // Owners must be looked up before the merge takes the live tags away.
            var owners = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var tag in entry.Tombstones)
                if (map.TryGetKeyOfTag(tag, out var owner)) owners[tag] = owner;
            try
            {
                var result = map.MergeKey(entry.Key, entry.Records, entry.Tombstones);
                foreach (var record in result.AddedOrUpdated)
                {
                    builder.Record(entry.Key, record);
                    TrackTtl(entry.Key, record);
                }
                foreach (var tag in result.NewTombstones)
                    builder.Tombstone(Attribute(tag, owners.GetValueOrDefault(tag, entry.Key)), tag);
                builder.NewRecords += result.Added.Count;
                outcomes.Add(OpOutcome.Ok(entry.Key));
            }
            catch (ClockDriftException e)
            {
                outcomes.Add(OpOutcome.Failed(entry.Key, e.Message));
            }
        }
        return FinishOr(map, builder, outcomes);
    }

    /// <summary>
    /// Turns expired TTL records into removals: an LWW record into a tombstone at its expiry time (same id on every
    /// node, so replicas agree), an OR record into a tombstone of its tag (as the TS server does).
    /// </summary>
    public PartitionUpdate ExpireTtl() => Kind switch
    {
        MapKind.Lww => ExpireLwwTtl(),
        MapKind.Or => ExpireOrTtl(),
        _ => PartitionUpdate.None,
    };

    private PartitionUpdate ExpireOrTtl()
    {
        if (_orTtlKeys.Count == 0) return PartitionUpdate.None;
        var map = Or!;
        var now = _hlc.WallMillis();
        var builder = new OrChangeBuilder();
        foreach (var key in _orTtlKeys.ToArray())
        {
            var withTtl = map.GetRecords(key, includeExpired: true).Where(r => r.TtlMs is not null).ToArray();
            foreach (var record in withTtl.Where(r => r.IsExpired(now)))
                if (map.ApplyTombstone(record.Tag)) builder.Tombstone(Attribute(record.Tag, key), record.Tag);
            if (withTtl.All(r => r.IsExpired(now))) _orTtlKeys.Remove(key);
        }
        return FinishOr(map, builder, []);
    }

    private PartitionUpdate ExpireLwwTtl()
    {
        var expired = Lww!.ExpireRecords(MapSettings.ExpiryNodeId);
        if (expired.Count == 0) return PartitionUpdate.None;
        var changes = expired.Select(e => new MapChange(e.Key, e.Value, null, null)).ToArray();
        return new PartitionUpdate(new LwwRecordsMerged(expired, _hlc.Now()), changes, []);
    }

    /// <summary>Drops tombstones older than <paramref name="olderThan"/>; the event is null when there were none.</summary>
    public IPartitionEvent? PruneTombstones(Timestamp olderThan)
    {
        switch (Kind)
        {
            case MapKind.Lww:
                return Lww!.Prune(olderThan).Count > 0 ? new LwwTombstonesPruned(olderThan) : null;
            case MapKind.Or:
                var pruned = Or!.Prune(olderThan);
                Forget(pruned);
                return pruned.Count > 0 ? new OrTombstonesPruned(olderThan) : null;
            default:
                return null;
        }
    }

    // ---- recovery -------------------------------------------------------------------------

    public void ApplyEvent(IPartitionEvent @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        switch (@event)
        {
            case LwwRecordsMerged merged:
                _hlc.Restore(merged.ServerTime);
                var lww = Lww ?? new LwwMap(_hlc);
                FixKind(MapKind.Lww, lww, null);
                foreach (var (key, record) in merged.Records) lww.Merge(key, record);
                break;
            case OrChangesMerged merged:
                _hlc.Restore(merged.ServerTime);
                var or = Or ?? new OrMap(_hlc);
                FixKind(MapKind.Or, null, or);
                foreach (var entry in merged.Entries)
                {
                    or.MergeKey(entry.Key, entry.Records, entry.Tombstones);
                    foreach (var tag in entry.Tombstones) Attribute(tag, entry.Key);
                    foreach (var record in entry.Records) TrackTtl(entry.Key, record);
                }
                break;
            case LwwTombstonesPruned pruned:
                Lww?.Prune(pruned.OlderThan);
                break;
            case OrTombstonesPruned pruned:
                if (Or is not null) Forget(Or.Prune(pruned.OlderThan));
                break;
            default:
                throw new ArgumentException($"Unknown partition event {@event.GetType().Name}.", nameof(@event));
        }
    }

    public void ApplySnapshot(object snapshot)
    {
        switch (snapshot)
        {
            case LwwPartitionSnapshot lww:
                _hlc.Restore(lww.ClockLast);
                var map = new LwwMap(_hlc);
                foreach (var (key, record) in lww.Records) map.Merge(key, record);
                Kind = MapKind.Lww;
                Lww = map;
                Or = null;
                break;
            case OrPartitionSnapshot or:
                _hlc.Restore(or.ClockLast);
                var orMap = new OrMap(_hlc);
                _tombstoneKey.Clear();
                _tombstonesByKey.Clear();
                _orTtlKeys.Clear();
                foreach (var entry in or.Entries)
                {
                    orMap.MergeKey(entry.Key, entry.Records, entry.Tombstones);
                    foreach (var tag in entry.Tombstones) Attribute(tag, entry.Key);
                    foreach (var record in entry.Records) TrackTtl(entry.Key, record);
                }
                Kind = MapKind.Or;
                Or = orMap;
                Lww = null;
                break;
            default:
                throw new ArgumentException($"Unknown partition snapshot {snapshot?.GetType().Name}.", nameof(snapshot));
        }
    }

    /// <summary>The whole state, or null while the partition is empty and has no kind.</summary>
    public object? ToSnapshot() => Kind switch
    {
        MapKind.Lww => new LwwPartitionSnapshot(Lww!.Records.ToArray(), _hlc.Last),
        MapKind.Or => new OrPartitionSnapshot(AllOrEntries(), _hlc.Last),
        _ => null,
    };

    // ---- reads ----------------------------------------------------------------------------

    /// <summary>
    /// A Merkle node inside this partition: bucket hashes above depth 3, the leaf's records at depth 3
    /// (LWW tombstones included; OR records with each key's tombstones). Null with an error when the
    /// path or kind does not fit.
    /// </summary>
    public IMerkleNodeReply? ReadMerkleNode(long correlationId, MapKind kind, string path, out string? error)
    {
        error = null;
        if (Kind is { } actual && actual != kind)
        {
            error = KindError(kind);
            return null;
        }
        var prefixLength = Partition.Length;
        if (path is null || path.Length < prefixLength || path.Length > MerkleTree.Depth
            || !path.StartsWith(Partition, StringComparison.Ordinal) || !path.All(IsLowerHex))
        {
            error = $"Merkle path '{path}' is not inside partition '{Partition}' (1-{MerkleTree.Depth} lowercase hex digits starting with it).";
            return null;
        }
        MerkleTree? tree = kind == MapKind.Lww ? Lww?.Merkle : Or?.Merkle;
        if (path.Length < MerkleTree.Depth)
            return new MerkleNodeHashes(correlationId, path, tree?.GetBuckets(path) ?? new Dictionary<char, uint>());
        var keys = tree?.GetKeysInBucket(path) ?? [];
        if (kind == MapKind.Lww)
        {
            var records = keys.Select(k => new KeyValuePair<string, LwwRecord>(k, Lww!.GetRecord(k)!)).ToArray();
            return new LwwLeaf(correlationId, path, records);
        }
        return new OrLeaf(correlationId, path, keys.Select(OrEntryOf).ToArray());
    }

    /// <summary>The OR entries of <paramref name="keys"/>; unknown keys come back empty.</summary>
    public IReadOnlyList<OrEntry> ReadOrEntries(IEnumerable<string> keys) => keys.Select(OrEntryOf).ToArray();

    /// <summary>
    /// This partition's share of a query page. LWW: live, unexpired records. OR: keys with unexpired
    /// records, offered as the array of their values (the record order of the key).
    /// </summary>
    public IReadOnlyList<QueryCandidate> Query(QuerySpec spec, long nowMillis)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return QueryExecutor.SelectPartition(Candidates(nowMillis), spec, nowMillis);
    }

    private IEnumerable<QueryCandidate> Candidates(long nowMillis)
    {
        if (Lww is not null)
        {
            foreach (var (key, record) in Lww.Records)
                if (!record.IsTombstone && !record.IsExpired(nowMillis))
                    yield return new QueryCandidate(key, record.Value, record.Timestamp);
        }
        else if (Or is not null)
        {
            foreach (var (key, records) in Or.Records)
            {
                var live = records.Where(r => !r.IsExpired(nowMillis)).OrderBy(r => r.Timestamp).ToArray();
                if (live.Length == 0) continue;
                yield return new QueryCandidate(key, Value.Array(live.Select(r => r.Value).ToArray()), live[^1].Timestamp);
            }
        }
    }

    // ---- helpers --------------------------------------------------------------------------

    private OrEntry OrEntryOf(string key)
    {
        var records = Or?.GetRecords(key, includeExpired: true) ?? [];
        var tombstones = _tombstonesByKey.TryGetValue(key, out var tags) ? tags.ToArray() : [];
        return new OrEntry(key, records, tombstones);
    }

    private OrEntry[] AllOrEntries()
    {
        var keys = new HashSet<string>(Or!.Keys, StringComparer.Ordinal);
        keys.UnionWith(_tombstonesByKey.Keys);
        return keys.Select(OrEntryOf).ToArray();
    }

    private PartitionUpdate FinishOr(OrMap map, OrChangeBuilder builder, IReadOnlyList<OpOutcome> outcomes)
    {
        if (builder.IsEmpty) return new PartitionUpdate(null, [], outcomes);
        FixKind(MapKind.Or, null, map);
        return new PartitionUpdate(new OrChangesMerged(builder.Entries(), _hlc.Now()), builder.Changes, outcomes, builder.NewRecords, builder.NewTombstoneCount);
    }

    private void TrackTtl(string key, OrMapRecord record)
    {
        if (record.TtlMs is not null) _orTtlKeys.Add(key);
    }

    /// <summary>Remembers which key a tombstone belongs to (the first attribution wins) and returns it.</summary>
    private string Attribute(string tag, string key)
    {
        if (_tombstoneKey.TryGetValue(tag, out var existing)) return existing;
        _tombstoneKey[tag] = key;
        if (!_tombstonesByKey.TryGetValue(key, out var tags)) _tombstonesByKey[key] = tags = new HashSet<string>(StringComparer.Ordinal);
        tags.Add(tag);
        return key;
    }

    private void Forget(IEnumerable<string> tags)
    {
        foreach (var tag in tags)
        {
            if (!_tombstoneKey.Remove(tag, out var key)) continue;
            if (_tombstonesByKey.TryGetValue(key, out var set) && set.Remove(tag) && set.Count == 0) _tombstonesByKey.Remove(key);
        }
    }

    private void FixKind(MapKind kind, LwwMap? lww, OrMap? or)
    {
        if (Kind is null)
        {
            Kind = kind;
            Lww = lww;
            Or = or;
        }
    }

    private string? KeyError(string key)
    {
        if (key is null) return "An op needs a key.";
        return Owns(key) ? null : $"Key '{key}' belongs to partition '{PartitionKey.Of(key, _partitionCount)}', not '{Partition}'.";
    }

    private string KindError(MapKind requested) =>
        $"Map '{MapName}' is an {Name(Kind!.Value)} map; {Name(requested)} operations are rejected.";

    private PartitionUpdate RejectAll(IEnumerable<string?> opIds, MapKind requested)
    {
        var error = KindError(requested);
        return new PartitionUpdate(null, [], opIds.Select(id => OpOutcome.Failed(id, error)).ToArray());
    }

    private static string Name(MapKind kind) => kind == MapKind.Lww ? "LWW" : "OR";

    private static bool IsLowerHex(char c) => c is >= '0' and <= '9' or >= 'a' and <= 'f';

    /// <summary>Collects an OR command's changes per key in arrival order.</summary>
    private sealed class OrChangeBuilder
    {
        private readonly Dictionary<string, (List<OrMapRecord> Records, List<string> Tombstones)> _byKey = new(StringComparer.Ordinal);
        private readonly List<string> _order = [];

        public List<MapChange> Changes { get; } = [];

        public int NewRecords { get; set; }

        public int NewTombstoneCount { get; private set; }

        public bool IsEmpty => Changes.Count == 0;

        public void Record(string key, OrMapRecord record)
        {
            Slot(key).Records.Add(record);
            Changes.Add(new MapChange(key, null, record, null));
        }

        public void Tombstone(string key, string tag)
        {
            Slot(key).Tombstones.Add(tag);
            NewTombstoneCount++;
            Changes.Add(new MapChange(key, null, null, tag));
        }

        public IReadOnlyList<OrEntry> Entries() =>
            _order.Select(k => new OrEntry(k, _byKey[k].Records, _byKey[k].Tombstones)).ToArray();

        private (List<OrMapRecord> Records, List<string> Tombstones) Slot(string key)
        {
            if (!_byKey.TryGetValue(key, out var slot))
            {
                _byKey[key] = slot = ([], []);
                _order.Add(key);
            }
            return slot;
        }
    }
}
