using TopGun.Server.Serialization;

namespace TopGun.Server.Replication;

/// <summary>Replica → owner: the differing leaves and the replica's per-key item hash of every key in them.</summary>
public sealed record ReconcileDigests(long CorrelationId, IReadOnlyList<string> Leaves, IReadOnlyDictionary<string, uint> Digests) : ITopGunSerializable;
