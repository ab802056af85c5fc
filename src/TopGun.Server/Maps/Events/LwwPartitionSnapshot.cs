using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Server.Serialization;

namespace TopGun.Server.Maps;

/// <summary>Every record of an LWW partition, tombstones included, and the node clock when it was taken.</summary>
internal sealed record LwwPartitionSnapshot(IReadOnlyList<KeyValuePair<string, LwwRecord>> Records, Timestamp ClockLast) : IMapSerializable;
