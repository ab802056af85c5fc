using TopGun.Server.Serialization;

namespace TopGun.Server.Counters;

/// <summary>
/// Marks the counters module's persisted and node-to-node types. reference.conf binds this one interface to <see cref="Serialization.CounterSerializer"/>,
/// so a new type of the module needs its manifest registered there and no binding line.
/// </summary>
internal interface ICounterSerializable : ITopGunSerializable;
