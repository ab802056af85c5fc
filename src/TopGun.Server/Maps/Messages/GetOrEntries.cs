using TopGun.Server.Serialization;
namespace TopGun.Server.Maps;

/// <summary>ORMAP_DIFF_REQUEST: the current OR entries of the given keys (all in this partition).</summary>
internal sealed record GetOrEntries(long CorrelationId, IReadOnlyList<string> Keys) : IPartitionCommand, IMapSerializable;
