using TopGun.Core.Clock;
using TopGun.Server.Serialization;

namespace TopGun.Server.Maps;

/// <summary>Every key of an OR partition with its records and attributed tombstones, and the node clock when it was taken.</summary>
internal sealed record OrPartitionSnapshot(IReadOnlyList<OrEntry> Entries, Timestamp ClockLast) : IMapSerializable;
