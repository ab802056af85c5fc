using TopGun.Server.Serialization;
namespace TopGun.Server.Maps;

/// <summary>The partition's Merkle root; the map root is the wrapping sum of its partitions' roots.</summary>
internal sealed record GetPartitionRoot(long CorrelationId) : IPartitionCommand, IMapSerializable;
