using Akka.Actor;
using TopGun.Core.Clock;

namespace TopGun.Server.Queries;

/// <summary>
/// What a <see cref="LiveQuerySession"/> needs of its node: the clock, the "map" shard region, the node's
/// change feed (TestKit probes in actor specs), the partition count and the limits that apply to queries.
/// </summary>
internal sealed record LiveQueryDependencies(
    Hlc Clock,
    IActorRef Partitions,
    IActorRef ChangeFeed,
    int PartitionCount,
    TimeSpan PageTimeout,
    int MaxQueriesPerClient);
