using TopGun.Server.Serialization;

namespace TopGun.Server.Replication;

/// <summary>Owner → replica host: this node no longer holds a replica of <see cref="EntityId"/> (owner passivated, or placement moved).</summary>
internal sealed record ReplicaRelease(string EntityId) : IReplicationSerializable;
