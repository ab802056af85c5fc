using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Merkle;
using TopGun.Core.Queries;

namespace TopGun.Server.Maps;

/// <summary>
/// The pure core of a map partition: one <see cref="PartitionMap"/> (LWW or OR, fixed by the first change),
/// with the partition's rules around it. A command is merged at once and returns the event that records
/// exactly what changed (<see cref="PartitionUpdate"/>); recovery replays events and snapshots through
/// <see cref="ApplyEvent"/> / <see cref="ApplySnapshot"/>. Every event is a CRDT merge or a prune, so
/// replaying one whose effect is already present changes nothing. Not thread-safe: owned by one actor.
/// </summary>
internal sealed class PartitionState
{
    private readonly Hlc _hlc;
    private readonly int _partitionCount;
    private readonly Func<string, string?> _keyError;
    private PartitionMap? _map;

    public PartitionState(string mapName, string partition, int partitionCount, Hlc hlc)
    {
        MapName = mapName ?? throw new ArgumentNullException(nameof(mapName));
        Partition = partition ?? throw new ArgumentNullException(nameof(partition));
        _partitionCount = partitionCount;
        _hlc = hlc ?? throw new ArgumentNullException(nameof(hlc));
        _keyError = KeyError;
        if (partition.Length != PartitionKey.PrefixLength(partitionCount))
            throw new ArgumentException($"Partition '{partition}' does not fit {partitionCount} partitions.", nameof(partition));
    }

    public string MapName { get; }

    public string Partition { get; }

    /// <summary>The partition's CRDT; null until the first change fixes its kind.</summary>
    public PartitionMap? Map => _map;

    /// <summary>Null until the first change fixes it.</summary>
    public MapKind? Kind => _map?.Kind;

    /// <summary>The LWW map, when <see cref="Kind"/> is <see cref="MapKind.Lww"/>.</summary>
    public LwwMap? Lww => (_map as LwwPartitionMap)?.Map;

    /// <summary>The OR map, when <see cref="Kind"/> is <see cref="MapKind.Or"/>.</summary>
    public OrMap? Or => (_map as OrPartitionMap)?.Map;

    /// <summary>The whole map's tree (only this partition's subtree is filled); null while the partition has no kind.</summary>
    public MerkleTree? Merkle => _map?.Merkle;

    /// <summary>The partition's subtree hash: equals the whole map tree's bucket hash at <see cref="Partition"/>.</summary>
    public uint RootHash => _map?.Merkle.GetHash(Partition) ?? 0;

    public bool Owns(string key) => string.Equals(PartitionKey.Of(key, _partitionCount), Partition, StringComparison.Ordinal);

    // ---- commands -------------------------------------------------------------------------

    public PartitionUpdate ApplyLww(IReadOnlyList<LwwOp> ops)
    {
        ArgumentNullException.ThrowIfNull(ops);
        if (_map is OrPartitionMap) return RejectAll(ops.Select(o => o.OpId), MapKind.Lww);
        var map = _map as LwwPartitionMap ?? new LwwPartitionMap(_hlc, _keyError);
        return Fix(map, map.Apply(ops));
    }

    public PartitionUpdate ApplyOr(IReadOnlyList<OrOp> ops)
    {
        ArgumentNullException.ThrowIfNull(ops);
        if (_map is LwwPartitionMap) return RejectAll(ops.Select(o => o.OpId), MapKind.Or);
        var map = _map as OrPartitionMap ?? new OrPartitionMap(_hlc, _keyError);
        return Fix(map, map.Apply(ops));
    }

    /// <summary>ORMAP_PUSH_DIFF: merges whole entries; their tombstones are kept (and persisted) even when they remove nothing here.</summary>
    public PartitionUpdate MergeOrEntries(IReadOnlyList<OrEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (_map is LwwPartitionMap)
            return new PartitionUpdate(null, [], [OpOutcome.Failed(null, KindError(MapKind.Or))]);
        var map = _map as OrPartitionMap ?? new OrPartitionMap(_hlc, _keyError);
        return Fix(map, map.MergeEntries(entries));
    }

    /// <summary>
    /// Turns expired TTL records into removals: an LWW record into a tombstone at its expiry time (same id on every
    /// node, so replicas agree), an OR record into a tombstone of its tag (as the TS server does).
    /// </summary>
    public PartitionUpdate ExpireTtl() => _map?.ExpireTtl() ?? PartitionUpdate.None;

    /// <summary>Drops tombstones older than <paramref name="olderThan"/>; the event is null when there were none.</summary>
    public IPartitionEvent? PruneTombstones(Timestamp olderThan) => _map?.Prune(olderThan);

    // ---- recovery -------------------------------------------------------------------------

    /// <summary>Replays one event; an event of the other kind than the one fixed changes nothing.</summary>
    public void ApplyEvent(IPartitionEvent @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        switch (@event)
        {
            case LwwRecordsMerged merged:
                _hlc.Restore(merged.ServerTime);
                ((_map ??= new LwwPartitionMap(_hlc, _keyError)) as LwwPartitionMap)?.Replay(merged);
                break;
            case OrChangesMerged merged:
                _hlc.Restore(merged.ServerTime);
                ((_map ??= new OrPartitionMap(_hlc, _keyError)) as OrPartitionMap)?.Replay(merged);
                break;
            case LwwTombstonesPruned pruned:
                (_map as LwwPartitionMap)?.Prune(pruned.OlderThan);
                break;
            case OrTombstonesPruned pruned:
                (_map as OrPartitionMap)?.Prune(pruned.OlderThan);
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
                _map = LwwPartitionMap.FromSnapshot(lww, _hlc, _keyError);
                break;
            case OrPartitionSnapshot or:
                _hlc.Restore(or.ClockLast);
                _map = OrPartitionMap.FromSnapshot(or, _hlc, _keyError);
                break;
            default:
                throw new ArgumentException($"Unknown partition snapshot {snapshot?.GetType().Name}.", nameof(snapshot));
        }
    }

    /// <summary>The whole state, or null while the partition is empty and has no kind.</summary>
    public object? ToSnapshot() => _map?.ToSnapshot(_hlc.Last);

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
        if (path.Length < MerkleTree.Depth)
            return new MerkleNodeHashes(correlationId, path, _map?.Merkle.GetBuckets(path) ?? new Dictionary<char, uint>());
        if (_map is null) return kind == MapKind.Lww ? new LwwLeaf(correlationId, path, []) : new OrLeaf(correlationId, path, []);
        return _map.Leaf(correlationId, path, _map.Merkle.GetKeysInBucket(path));
    }

    /// <summary>The OR entries of <paramref name="keys"/>; unknown keys come back empty.</summary>
    public IReadOnlyList<OrEntry> ReadOrEntries(IEnumerable<string> keys) =>
        _map is OrPartitionMap or ? or.ReadEntries(keys) : keys.Select(k => new OrEntry(k, [], [])).ToArray();

    /// <summary>What is held for <paramref name="keys"/> as one merge event (an anti-entropy transfer); null when nothing is.</summary>
    public IPartitionEvent? RecordsOf(IReadOnlyList<string> keys, Timestamp serverTime) => _map?.RecordsOf(keys, serverTime);

    /// <summary>
    /// This partition's share of a query page. LWW: live, unexpired records. OR: keys with unexpired
    /// records, offered as the array of their values (the record order of the key).
    /// </summary>
    public IReadOnlyList<QueryCandidate> Query(QuerySpec spec, long nowMillis)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return QueryExecutor.SelectPartition(_map?.Candidates(nowMillis) ?? [], spec, nowMillis);
    }

    // ---- helpers --------------------------------------------------------------------------

    /// <summary>A partition without a kind takes <paramref name="map"/>'s once a command on it changed something.</summary>
    private PartitionUpdate Fix(PartitionMap map, PartitionUpdate update)
    {
        if (update.Event is not null) _map ??= map;
        return update;
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
}
