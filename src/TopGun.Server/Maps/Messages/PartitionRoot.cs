using TopGun.Core.Crdt;
using TopGun.Server.Serialization;
namespace TopGun.Server.Maps;

/// <summary>
/// Reply to <see cref="GetPartitionRoot"/>. <see cref="Hash"/> equals the full tree's bucket hash at
/// <see cref="Partition"/>; 0 for an empty partition. <see cref="Kind"/> is null while the partition has never been written.
/// </summary>
internal sealed record PartitionRoot(long CorrelationId, string Partition, uint Hash, MapKind? Kind) : IPartitionReply, IMapSerializable;
