using TopGun.Core.Queries;
using TopGun.Server.Serialization;

namespace TopGun.Server.Maps;

/// <summary>
/// The partition's share of a query page (<see cref="QueryExecutor.SelectPartition"/>): live, unexpired
/// matches after the cursor, at most limit+1. <see cref="NowMillis"/> is the coordinator's clock so all
/// partitions judge cursor age and TTL alike.
/// </summary>
internal sealed record QueryPartition(long CorrelationId, QuerySpec Spec, long NowMillis) : IPartitionCommand, IMapSerializable;
