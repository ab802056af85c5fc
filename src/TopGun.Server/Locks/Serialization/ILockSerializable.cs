using TopGun.Server.Serialization;

namespace TopGun.Server.Locks;

/// <summary>
/// Marks the locks module's persisted and node-to-node types. reference.conf binds this one interface to <see cref="Serialization.LockSerializer"/>,
/// so a new type of the module needs its manifest registered there and no binding line.
/// </summary>
internal interface ILockSerializable : ITopGunSerializable;
