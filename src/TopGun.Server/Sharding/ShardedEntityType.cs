using Akka.Actor;
using Akka.Cluster.Sharding;

namespace TopGun.Server.Sharding;

/// <summary>
/// One shard region: its type name, how an entity is made from its id, and how messages find their entity.
/// The type name and the extractor decide where every entity lives across the cluster, so neither may change
/// between versions while a cluster runs (a rolling upgrade would route one entity to two places).
/// </summary>
/// <param name="HandOffStopMessage">What a shard sends its entities on handoff; null is Akka's PoisonPill.</param>
internal sealed record ShardedEntityType(string TypeName, Func<string, Props> EntityProps, IMessageExtractor Extractor, object? HandOffStopMessage = null)
{
    /// <summary>Starts the region on this node (Akka returns the running one when it already is).</summary>
    public Task<IActorRef> StartAsync(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        var sharding = ClusterSharding.Get(system);
        var settings = ClusterShardingSettings.Create(system);
        return sharding.StartAsync(
            TypeName,
            EntityProps,
            settings,
            Extractor,
            sharding.DefaultShardAllocationStrategy(settings),
            HandOffStopMessage ?? PoisonPill.Instance);
    }
}
