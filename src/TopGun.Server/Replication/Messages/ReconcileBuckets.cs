using TopGun.Server.Serialization;

namespace TopGun.Server.Replication;

/// <summary>
/// Owner → replica: the child paths whose hashes differ (none = in sync) and, for differing inner
/// nodes, the owner's hashes one level further down, so the replica can narrow them to leaves.
/// </summary>
internal sealed record ReconcileBuckets(long CorrelationId, IReadOnlyList<string> Differing, IReadOnlyDictionary<string, uint> OwnerHashes) : IReplicationSerializable;
