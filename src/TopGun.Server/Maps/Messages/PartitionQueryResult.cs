using TopGun.Core.Queries;
using TopGun.Server.Serialization;

namespace TopGun.Server.Maps;

/// <summary>Reply to <see cref="QueryPartition"/>, in query order.</summary>
internal sealed record PartitionQueryResult(long CorrelationId, IReadOnlyList<QueryCandidate> Candidates) : IPartitionReply, IMapSerializable;
