using TopGun.Server.Serialization;

namespace TopGun.Server.Replication;

/// <summary>Replica host → owner: this node holds no replica of <see cref="EntityId"/>.</summary>
internal sealed record NoReplica(string EntityId) : IReplicationSerializable;
