using TopGun.Server.Serialization;
namespace TopGun.Server.Maps;

/// <summary>
/// A command the partition refused as a whole (wrong map kind for a Merkle/OR request, a path outside
/// the partition). Op batches are never rejected this way: they answer <see cref="OpsApplied"/> with per-op errors.
/// </summary>
internal sealed record PartitionCommandRejected(long CorrelationId, string Error) : IPartitionReply, IMapSerializable;
