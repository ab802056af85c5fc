using TopGun.Server.Serialization;
namespace TopGun.Server.Maps;

/// <summary>ORMAP_PUSH_DIFF: merge whole OR entries; records and tombstones are persisted, only new ones published.</summary>
internal sealed record MergeOrEntries(long CorrelationId, IReadOnlyList<OrEntry> Entries, string OriginId) : IPartitionCommand, IMapSerializable;
