using Akka.Actor;
using TopGun.Server.Clients;
using TopGun.Server.Counters;
using TopGun.Server.Locks;
using TopGun.Server.Queries;
using TopGun.Server.Topics;

namespace TopGun.Server.Gateway;

/// <summary>The features every connection of a node offers its client, besides writes and sync; a new feature adds its entry here.</summary>
internal static class ConnectionFeatures
{
    /// <summary>Live queries over <paramref name="deps"/>' partitions and change feed; counters, locks and topics through the node's feature handles.</summary>
    public static IReadOnlyList<IConnectionFeature> Standard(ActorSystem system, ConnectionDependencies deps) =>
    [
        new LiveQueryRoute.Feature(
            new LiveQueryDependencies(deps.Clock, deps.Partitions, deps.ChangeFeed, deps.Settings.PartitionCount, deps.Gateway.OpTimeout, deps.Gateway.MaxQueriesPerClient),
            deps.Gateway.MaxKeyLength),
        new CounterRoute.Feature(CounterRegion.Get(system)),
        new LockRoute.Feature(LockRegion.Get(system)),
        new TopicRoute.Feature(TopicRouting.Get(system), deps.Clock),
    ];
}
