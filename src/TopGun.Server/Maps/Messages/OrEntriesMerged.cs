using TopGun.Server.Serialization;
namespace TopGun.Server.Maps;

/// <summary>Reply to <see cref="MergeOrEntries"/>, sent once the merge is durable.</summary>
internal sealed record OrEntriesMerged(long CorrelationId, int NewRecords, int NewTombstones) : IPartitionReply, IMapSerializable;
