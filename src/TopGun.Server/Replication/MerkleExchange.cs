using TopGun.Core.Clock;
using TopGun.Core.Merkle;
using TopGun.Server.Maps;

namespace TopGun.Server.Replication;

/// <summary>
/// The pure steps of anti-entropy between two copies of one partition: child hashes top-down (past the
/// stored leaves while a differing bucket is too full to list), the differing paths, per-key item hashes of
/// the differing buckets, and the records to move as events.
/// </summary>
internal static class MerkleExchange
{
    public static MerkleTree? Tree(PartitionState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Merkle;
    }

    /// <summary>
    /// A differing bucket holding at most this many keys at the replica is settled by listing its keys' digests;
    /// a fuller one is narrowed by one more round trip first. A digest costs a key's length, a round trip two
    /// levels of 16 hashes per differing bucket: listing 32 keys is about what narrowing them would cost.
    /// </summary>
    public const int DigestBucketLimit = 32;

    /// <summary>Hashes of the non-empty children of <paramref name="path"/>, keyed by full path; below the stored leaves they are computed from the keys.</summary>
    public static Dictionary<string, uint> Children(MerkleTree? tree, string path)
    {
        var result = new Dictionary<string, uint>(StringComparer.Ordinal);
        if (tree is null || path.Length >= MerkleTree.MaxPathLength) return result;
        foreach (var (digit, hash) in tree.GetChildHashes(path))
            if (hash != 0) result[path + digit] = hash;
        return result;
    }

    /// <summary>Children of every path in <paramref name="parents"/>, in one dictionary.</summary>
    public static Dictionary<string, uint> Children(MerkleTree? tree, IEnumerable<string> parents)
    {
        var result = new Dictionary<string, uint>(StringComparer.Ordinal);
        foreach (var parent in parents)
            foreach (var (path, hash) in Children(tree, parent)) result[path] = hash;
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

    /// <summary>True for a path as deep as buckets go (one full key hash): it cannot be narrowed further.</summary>
    public static bool IsDeepest(string path) => path.Length >= MerkleTree.MaxPathLength;

    /// <summary>
    /// The owner's answer to a replica's hashes of the children of <paramref name="parents"/>: the differing children and,
    /// for those that can be narrowed further, the owner's hashes one level below them (two levels per round trip).
    /// </summary>
    public static (IReadOnlyList<string> Differing, IReadOnlyDictionary<string, uint> OwnerHashes) CompareChildren(
        MerkleTree? ownerTree, IEnumerable<string> parents, IReadOnlyDictionary<string, uint> replicaChildren)
    {
        var differing = Differing(replicaChildren, Children(ownerTree, parents));
        var below = Children(ownerTree, differing.Where(p => !IsDeepest(p)));
        return (differing, below);
    }

    /// <summary><see cref="CompareChildren(MerkleTree?, IEnumerable{string}, IReadOnlyDictionary{string, uint})"/> below the partition's node.</summary>
    public static (IReadOnlyList<string> Differing, IReadOnlyDictionary<string, uint> OwnerHashes) CompareChildren(
        MerkleTree? ownerTree, string partition, IReadOnlyDictionary<string, uint> replicaChildren) =>
        CompareChildren(ownerTree, [partition], replicaChildren);

    /// <summary>
    /// The replica's narrowing of the owner's answer: the differing children of each differing path (or the path itself
    /// when it is as deep as paths go), split into buckets small enough to list (<see cref="DigestBucketLimit"/>)
    /// and buckets to narrow with another <see cref="ReconcileDescend"/>.
    /// </summary>
    public static (IReadOnlyList<string> Settled, IReadOnlyList<string> Descend) Narrow(
        MerkleTree? replicaTree, IReadOnlyList<string> differing, IReadOnlyDictionary<string, uint> ownerHashes)
    {
        var settled = new List<string>();
        var descend = new List<string>();
        var ownerByParent = ownerHashes
            .Where(kv => kv.Key.Length > 0)
            .GroupBy(kv => kv.Key[..^1], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var path in differing)
        {
            if (IsDeepest(path))
            {
                settled.Add(path);
                continue;
            }
            var owner = ownerByParent.GetValueOrDefault(path) ?? new Dictionary<string, uint>(StringComparer.Ordinal);
            foreach (var child in Differing(Children(replicaTree, path), owner))
            {
                // Above the stored leaves a bucket is never listed: its keys are spread over many leaves.
                var listable = child.Length >= MerkleTree.Depth
                    && (IsDeepest(child) || (replicaTree?.CountUnder(child) ?? 0) <= DigestBucketLimit);
                (listable ? settled : descend).Add(child);
            }
        }
        return (settled, descend);
    }

    /// <summary>Item hash of every key in <paramref name="buckets"/> (leaves or virtual buckets below them).</summary>
    public static Dictionary<string, uint> Digests(MerkleTree? tree, IEnumerable<string> buckets)
    {
        var result = new Dictionary<string, uint>(StringComparer.Ordinal);
        if (tree is null) return result;
        foreach (var bucket in buckets)
            foreach (var (key, hash) in tree.GetItemsUnder(bucket)) result[key] = hash;
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
            if (state.RecordsOf(chunk, serverTime) is { } @event) events.Add(@event);
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
