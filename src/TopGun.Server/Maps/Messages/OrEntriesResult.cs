using TopGun.Server.Serialization;
namespace TopGun.Server.Maps;

/// <summary>Reply to <see cref="GetOrEntries"/>; keys the partition does not know come back with empty lists.</summary>
internal sealed record OrEntriesResult(long CorrelationId, IReadOnlyList<OrEntry> Entries) : IPartitionReply, IMapSerializable;
