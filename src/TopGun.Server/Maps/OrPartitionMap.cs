using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Merkle;
using TopGun.Core.Queries;
using TopGun.Core.Values;

namespace TopGun.Server.Maps;

/// <summary>
/// A partition of an OR map: many tagged records per key, removals as tombstones of tags. The map itself does
/// not key tombstones, so this keeps which key each belongs to: a Merkle leaf, a snapshot and an anti-entropy
/// transfer must carry the tombstones of their keys.
/// </summary>
internal sealed class OrPartitionMap : PartitionMap
{
    private readonly Dictionary<string, string> _tombstoneKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _tombstonesByKey = new(StringComparer.Ordinal);
    // Keys that may hold a record with a TTL, so expiry scans them and not the whole map.
    private readonly HashSet<string> _ttlKeys = new(StringComparer.Ordinal);

    public OrPartitionMap(Hlc hlc, Func<string, string?> keyError)
        : base(hlc, keyError) => Map = new OrMap(hlc);

    public OrMap Map { get; }

    public override MapKind Kind => MapKind.Or;

    public override MerkleTree Merkle => Map.Merkle;

    public static OrPartitionMap FromSnapshot(OrPartitionSnapshot snapshot, Hlc hlc, Func<string, string?> keyError)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var map = new OrPartitionMap(hlc, keyError);
        foreach (var entry in snapshot.Entries) map.ReplayEntry(entry);
        return map;
    }

    public PartitionUpdate Apply(IReadOnlyList<OrOp> ops)
    {
        ArgumentNullException.ThrowIfNull(ops);
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
                    if (Map.Apply(op.Key, add))
                    {
                        builder.Record(op.Key, add);
                        TrackTtl(op.Key, add);
                    }
                }
                else
                {
                    var tag = op.RemoveTag!;
                    var owner = Map.TryGetKeyOfTag(tag, out var live) ? live : op.Key;
                    if (Map.ApplyTombstone(tag)) builder.Tombstone(Attribute(tag, owner), tag);
                }
                outcomes[i] = OpOutcome.Ok(op.OpId);
            }
            catch (ClockDriftException e)
            {
                outcomes[i] = OpOutcome.Failed(op.OpId, e.Message);
            }
        }
        return Finish(builder, outcomes);
    }

    /// <summary>ORMAP_PUSH_DIFF: merges whole entries; their tombstones are kept (and persisted) even when they remove nothing here.</summary>
    public PartitionUpdate MergeEntries(IReadOnlyList<OrEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
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
                if (Map.TryGetKeyOfTag(tag, out var owner)) owners[tag] = owner;
            try
            {
                var result = Map.MergeKey(entry.Key, entry.Records, entry.Tombstones);
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
        return Finish(builder, outcomes);
    }

    public void Replay(OrChangesMerged merged)
    {
        ArgumentNullException.ThrowIfNull(merged);
        foreach (var entry in merged.Entries) ReplayEntry(entry);
    }

    /// <summary>An expired record becomes a tombstone of its tag (as the TS server does).</summary>
    public override PartitionUpdate ExpireTtl()
    {
        if (_ttlKeys.Count == 0) return PartitionUpdate.None;
        var now = Hlc.WallMillis();
        var builder = new OrChangeBuilder();
        foreach (var key in _ttlKeys.ToArray())
        {
            var withTtl = Map.GetRecords(key, includeExpired: true).Where(r => r.TtlMs is not null).ToArray();
            foreach (var record in withTtl.Where(r => r.IsExpired(now)))
                if (Map.ApplyTombstone(record.Tag)) builder.Tombstone(Attribute(record.Tag, key), record.Tag);
            if (withTtl.All(r => r.IsExpired(now))) _ttlKeys.Remove(key);
        }
        return Finish(builder, []);
    }

    public override IPartitionEvent? Prune(Timestamp olderThan)
    {
        var pruned = Map.Prune(olderThan);
        Forget(pruned);
        return pruned.Count > 0 ? new OrTombstonesPruned(olderThan) : null;
    }

    public override object ToSnapshot(Timestamp clockLast)
    {
        var keys = new HashSet<string>(Map.Keys, StringComparer.Ordinal);
        keys.UnionWith(_tombstonesByKey.Keys);
        return new OrPartitionSnapshot(keys.Select(EntryOf).ToArray(), clockLast);
    }

    public override IMerkleNodeReply Leaf(long correlationId, string path, IReadOnlyCollection<string> keys) =>
        new OrLeaf(correlationId, path, keys.Select(EntryOf).ToArray());

    /// <summary>A key is offered as the array of its unexpired values, in the record order of the key.</summary>
    public override IEnumerable<QueryCandidate> Candidates(long nowMillis)
    {
        foreach (var (key, records) in Map.Records)
        {
            var live = records.Where(r => !r.IsExpired(nowMillis)).OrderBy(r => r.Timestamp).ToArray();
            if (live.Length == 0) continue;
            yield return new QueryCandidate(key, Value.Array(live.Select(r => r.Value).ToArray()), live[^1].Timestamp);
        }
    }

    public override IPartitionEvent? RecordsOf(IReadOnlyList<string> keys, Timestamp serverTime)
    {
        var entries = ReadEntries(keys).Where(e => e.Records.Count > 0 || e.Tombstones.Count > 0).ToArray();
        return entries.Length > 0 ? new OrChangesMerged(entries, serverTime) : null;
    }

    /// <summary>The entries of <paramref name="keys"/>; unknown keys come back empty.</summary>
    public IReadOnlyList<OrEntry> ReadEntries(IEnumerable<string> keys) => keys.Select(EntryOf).ToArray();

    private OrEntry EntryOf(string key)
    {
        var records = Map.GetRecords(key, includeExpired: true);
        var tombstones = _tombstonesByKey.TryGetValue(key, out var tags) ? tags.ToArray() : [];
        return new OrEntry(key, records, tombstones);
    }

    private void ReplayEntry(OrEntry entry)
    {
        Map.MergeKey(entry.Key, entry.Records, entry.Tombstones);
        foreach (var tag in entry.Tombstones) Attribute(tag, entry.Key);
        foreach (var record in entry.Records) TrackTtl(entry.Key, record);
    }

    private PartitionUpdate Finish(OrChangeBuilder builder, IReadOnlyList<OpOutcome> outcomes) =>
        builder.IsEmpty
            ? new PartitionUpdate(null, [], outcomes)
            : new PartitionUpdate(
                new OrChangesMerged(builder.Entries(), Hlc.Now()),
                builder.Changes(key => Map.GetRecords(key, includeExpired: true)),
                outcomes,
                builder.NewRecords,
                builder.NewTombstoneCount);

    private void TrackTtl(string key, OrMapRecord record)
    {
        if (record.TtlMs is not null) _ttlKeys.Add(key);
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
}
