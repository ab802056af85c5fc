using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Merkle;
using TopGun.Core.Queries;

namespace TopGun.Server.Maps;

/// <summary>
/// The CRDT of one partition, <see cref="LwwPartitionMap"/> or <see cref="OrPartitionMap"/>, behind what a
/// partition does whatever its kind: expire, prune, snapshot, and serve Merkle leaves, queries and
/// anti-entropy transfers. Commands merge in place and return the event recording what changed; the actor
/// persists it with <c>PersistAsync</c> and goes on merging, so nothing here copies the map on the hot path.
/// Not thread-safe: owned by one actor.
/// </summary>
internal abstract class PartitionMap
{
    private readonly Func<string, string?> _keyError;

    private protected PartitionMap(Hlc hlc, Func<string, string?> keyError)
    {
        Hlc = hlc ?? throw new ArgumentNullException(nameof(hlc));
        _keyError = keyError ?? throw new ArgumentNullException(nameof(keyError));
    }

    public abstract MapKind Kind { get; }

    /// <summary>The whole map's tree; a partition only ever fills its own subtree.</summary>
    public abstract MerkleTree Merkle { get; }

    private protected Hlc Hlc { get; }

    /// <summary>Turns expired TTL records into removals; <see cref="PartitionUpdate.None"/> when none expired.</summary>
    public abstract PartitionUpdate ExpireTtl();

    /// <summary>Drops tombstones older than <paramref name="olderThan"/>; the event is null when there were none.</summary>
    public abstract IPartitionEvent? Prune(Timestamp olderThan);

    /// <summary>The whole state, clock included, as the snapshot type of the kind.</summary>
    public abstract object ToSnapshot(Timestamp clockLast);

    /// <summary>The Merkle leaf at <paramref name="path"/> holding <paramref name="keys"/> (tombstones included).</summary>
    public abstract IMerkleNodeReply Leaf(long correlationId, string path, IReadOnlyCollection<string> keys);

    /// <summary>Query candidates: keys with live, unexpired data and the value a query sees.</summary>
    public abstract IEnumerable<QueryCandidate> Candidates(long nowMillis);

    /// <summary>What is held for <paramref name="keys"/> as one merge event (the anti-entropy transfer); null when nothing is.</summary>
    public abstract IPartitionEvent? RecordsOf(IReadOnlyList<string> keys, Timestamp serverTime);

    /// <summary>Null when <paramref name="key"/> may be written here, else why not.</summary>
    private protected string? KeyError(string key) => _keyError(key);
}
