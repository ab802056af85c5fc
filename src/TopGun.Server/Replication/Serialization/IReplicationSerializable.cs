using TopGun.Server.Serialization;

namespace TopGun.Server.Replication;

/// <summary>
/// Marks the replication protocol's node-to-node types. reference.conf binds this one interface to <see cref="Serialization.ReplicationSerializer"/>,
/// so a new type of the module needs its manifest registered there and no binding line.
/// </summary>
internal interface IReplicationSerializable : ITopGunSerializable;
