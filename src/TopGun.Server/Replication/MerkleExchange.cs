using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Merkle;
using TopGun.Server.Maps;

namespace TopGun.Server.Replication;

/// <summary>
/// The pure steps of anti-entropy between two copies of one partition: child hashes top-down, the
/// differing paths, per-key item hashes of differing leaves, and the records to move as events.
/// </summary>
public static class MerkleExchange
{
    public static MerkleTree? Tree(PartitionState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Kind switch
        {
            MapKind.Lww => state.Lww!.Merkle,
            MapKind.Or => state.Or!.Merkle,
            _ => null,
        };
    }

    /// <summary>Hashes of the non-empty children of <paramref name="path"/>, keyed by full path.</summary>
    public static Dictionary<string, uint> Children(MerkleTree? tree, string path)
    {
        var result = new Dictionary<string, uint>(StringComparer.Ordinal);
        if (tree is null || path.Length >= MerkleTree.Depth) return result;
        foreach (var (digit, hash) in tree.GetBuckets(path))
            if (hash != 0) result[path + digit] = hash;
        return result;
    }

    /// <summary>Paths present on either side whose hashes differ (a missing path counts as hash 0), in order.</summary>
    public static IReadOnlyList<string> Differing(IReadOnlyDictionary<string, uint> left, IReadOnlyDictionary<string, uint> right)
    {
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (path, hash) in left)
            if (right.GetValueOrDefault(path) != hash) paths.Add(path);
        foreach (var (path, hash) in right)
            if (left.GetValueOrDefault(path) != hash) paths.Add(path);
        return paths.ToArray();
    }

    public static bool IsLeaf(string path) => path.Length == MerkleTree.Depth;

    /// <summary>The owner's answer to a replica's child hashes: the differing children and, for inner ones, the owner's hashes below them.</summary>
    public static (IReadOnlyList<string> Differing, IReadOnlyDictionary<string, uint> OwnerHashes) CompareChildren(
        MerkleTree? ownerTree, string partition, IReadOnlyDictionary<string, uint> replicaChildren)
    {
        var differing = Differing(replicaChildren, Children(ownerTree, partition));
        var below = new Dictionary<string, uint>(StringComparer.Ordinal);
        foreach (var path in differing.Where(p => !IsLeaf(p)))
            foreach (var (child, hash) in Children(ownerTree, path)) below[child] = hash;
        return (differing, below);
    }

    /// <summary>The replica's narrowing of the owner's answer to differing leaves.</summary>
    public static IReadOnlyList<string> DifferingLeaves(MerkleTree? replicaTree, IReadOnlyList<string> differing, IReadOnlyDictionary<string, uint> ownerHashes)
    {
        var leaves = new List<string>();
        foreach (var path in differing)
        {
            if (IsLeaf(path))
            {
                leaves.Add(path);
                continue;
            }
            var owner = ownerHashes.Where(kv => kv.Key.StartsWith(path, StringComparison.Ordinal)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
            var mine = Children(replicaTree, path);
            // Partitions are one or two hex digits of a three-digit tree: one inner level at most lies between.
            leaves.AddRange(Differing(mine, owner));
        }
        return leaves;
    }

    /// <summary>Item hash of every key in <paramref name="leaves"/>.</summary>
    public static Dictionary<string, uint> Digests(MerkleTree? tree, IEnumerable<string> leaves)
    {
        var result = new Dictionary<string, uint>(StringComparer.Ordinal);
        if (tree is null) return result;
        foreach (var leaf in leaves)
            foreach (var key in tree.GetKeysInBucket(leaf))
                if (tree.TryGetItemHash(key, out var hash)) result[key] = hash;
        return result;
    }

    /// <summary>
    /// Keys the owner must send (missing or different at the replica) and keys it wants back (held by the
    /// replica and missing or different at the owner). A key that differs travels both ways; the merge keeps the winner.
    /// </summary>
    public static (IReadOnlyList<string> Send, IReadOnlyList<string> Want) CompareDigests(
        IReadOnlyDictionary<string, uint> owner, IReadOnlyDictionary<string, uint> replica)
    {
        var send = owner.Where(kv => !replica.TryGetValue(kv.Key, out var h) || h != kv.Value).Select(kv => kv.Key).Order(StringComparer.Ordinal).ToArray();
        var want = replica.Where(kv => !owner.TryGetValue(kv.Key, out var h) || h != kv.Value).Select(kv => kv.Key).Order(StringComparer.Ordinal).ToArray();
        return (send, want);
    }

    /// <summary>The records of <paramref name="keys"/> as merge events of at most <paramref name="chunkSize"/> keys each.</summary>
    public static IReadOnlyList<IPartitionEvent> Chunks(PartitionState state, IReadOnlyList<string> keys, int chunkSize, Timestamp serverTime)
    {
        ArgumentNullException.ThrowIfNull(state);
        var events = new List<IPartitionEvent>();
        foreach (var chunk in keys.Chunk(chunkSize))
        {
            switch (state.Kind)
            {
                case MapKind.Lww:
                    var records = chunk
                        .Select(k => (Key: k, Record: state.Lww!.GetRecord(k)))
                        .Where(x => x.Record is not null)
                        .Select(x => new KeyValuePair<string, LwwRecord>(x.Key, x.Record!))
                        .ToArray();
                    if (records.Length > 0) events.Add(new LwwRecordsMerged(records, serverTime));
                    break;
                case MapKind.Or:
                    var entries = state.ReadOrEntries(chunk).Where(e => e.Records.Count > 0 || e.Tombstones.Count > 0).ToArray();
                    if (entries.Length > 0) events.Add(new OrChangesMerged(entries, serverTime));
                    break;
            }
        }
        return events;
    }

    /// <summary>Records (LWW) or entries (OR) an event carries: what the transfer bound counts.</summary>
    public static int RecordCount(IPartitionEvent @event) => @event switch
    {
        LwwRecordsMerged m => m.Records.Count,
        OrChangesMerged m => m.Entries.Count,
        _ => 0,
    };

    /// <summary>Turns a replica's records into the owner's merge, so they are persisted and published like any write.</summary>
    public static PartitionUpdate MergeIntoOwner(PartitionState owner, IPartitionEvent @event) => @event switch
    {
        LwwRecordsMerged m => owner.ApplyLww(m.Records.Select(r => new LwwOp(null, r.Key, r.Value)).ToArray()),
        OrChangesMerged m => owner.MergeOrEntries(m.Entries),
        _ => PartitionUpdate.None,
    };
}
