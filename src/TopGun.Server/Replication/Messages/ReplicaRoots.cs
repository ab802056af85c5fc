using TopGun.Server.Serialization;

namespace TopGun.Server.Replication;

/// <summary>Answer to <see cref="GetReplicaRoots"/>: entity id → partition root hash of the replica on that node.</summary>
internal sealed record ReplicaRoots(IReadOnlyDictionary<string, uint> Roots) : IReplicationSerializable;
