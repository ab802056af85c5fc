using TopGun.Server.Serialization;

namespace TopGun.Server.Maps;

/// <summary>A persisted change of one map partition. Replaying events is idempotent (every one is a CRDT merge or a prune).</summary>
internal interface IPartitionEvent : IMapSerializable;
