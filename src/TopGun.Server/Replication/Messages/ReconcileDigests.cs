using TopGun.Server.Serialization;

namespace TopGun.Server.Replication;

/// <summary>
/// Replica → owner: the differing buckets narrowed far enough to list (leaves or virtual buckets below them, see
/// <see cref="Core.Merkle.MerkleTree.MaxPathLength"/>) and the replica's per-key item hash of every key in them.
/// </summary>
internal sealed record ReconcileDigests(long CorrelationId, IReadOnlyList<string> Buckets, IReadOnlyDictionary<string, uint> Digests) : IReplicationSerializable;
