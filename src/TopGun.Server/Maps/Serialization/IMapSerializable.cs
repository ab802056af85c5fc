using TopGun.Server.Serialization;

namespace TopGun.Server.Maps;

/// <summary>
/// Marks the maps module's persisted and node-to-node types (partition events, snapshots, the partition protocol). reference.conf binds this one interface to <see cref="Serialization.MapSerializer"/>,
/// so a new type of the module needs its manifest registered there and no binding line.
/// </summary>
internal interface IMapSerializable : ITopGunSerializable;
