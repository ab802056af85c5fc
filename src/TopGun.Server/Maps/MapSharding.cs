using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Configuration;

namespace TopGun.Server.Maps;

/// <summary>Starts the "map" and "map-type" shard regions and publishes them through <see cref="MapRegions"/>.</summary>
public static class MapSharding
{
    public const string PartitionTypeName = "map";
    public const string MapTypeTypeName = "map-type";

    /// <summary>Idempotent: a second call returns the regions already started.</summary>
    /// <param name="replication">The node's replication (registered by the host); null keeps every partition to itself.</param>
    public static async Task<MapRegions> StartAsync(ActorSystem system, MapSettings? settings = null, IMapReplication? replication = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        var regions = MapRegions.Get(system);
        if (regions.IsStarted) return regions;

        settings ??= MapSettings.FromConfig(system.Settings.Config);
        var hlc = NodeClock.Get(system).Hlc;
        var changeFeed = system.ActorOf(MapChangeFeed.Props(), MapChangeFeed.Name);
        var sharding = ClusterSharding.Get(system);
        var shardingSettings = ClusterShardingSettings.Create(system);
        var owners = replication?.Start(system, settings, hlc);

        // Handoff stops a partition like passivation does: after its in-flight writes, releasing its replicas.
        var partitions = await sharding.StartAsync(
            PartitionTypeName,
            entityId =>
            {
                var (mapName, partition) = PartitionMessageExtractor.Parse(entityId);
                return MapPartition.Props(mapName, partition, settings, hlc, changeFeed, owners);
            },
            shardingSettings,
            new PartitionMessageExtractor(settings.ShardCount),
            sharding.DefaultShardAllocationStrategy(shardingSettings),
            PartitionTicks.Stop.Instance).ConfigureAwait(false);

        var mapTypes = await sharding.StartAsync(
            MapTypeTypeName,
            mapName => MapTypeRegistry.Props(mapName, settings.PassivateAfter),
            shardingSettings,
            new MapTypeMessageExtractor(settings.ShardCount)).ConfigureAwait(false);

        regions.Set(partitions, mapTypes, changeFeed);
        return regions;
    }

    /// <summary>
    /// Akka.Cluster.Tools / Sharding defaults (pub-sub, singleton, sharding, and their serializers). The
    /// extensions inject them lazily; putting them in the fallback makes their serializers known from the start.
    /// </summary>
    public static Config DefaultConfig() =>
        DistributedPubSub.DefaultConfig()
            .WithFallback(ClusterSharding.DefaultConfig())
            .WithFallback(Akka.Cluster.Tools.Singleton.ClusterSingleton.DefaultConfig());
}
