using TopGun.Server.Serialization;

namespace TopGun.Server.Replication;

/// <summary>
/// Replica → owner, between the first round and the digests: buckets that differ but hold too many keys to list
/// (<see cref="Parents"/>) and the replica's hashes of their children (full paths, below the stored leaves computed
/// from the keys' <c>fnv1a</c> digits). Answered like <see cref="ReconcileRequest"/> with <see cref="ReconcileBuckets"/>.
/// </summary>
internal sealed record ReconcileDescend(long CorrelationId, IReadOnlyList<string> Parents, IReadOnlyDictionary<string, uint> Hashes) : IReplicationSerializable;
