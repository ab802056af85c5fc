using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Configuration;
using TopGun.Server.Sharding;

namespace TopGun.Server.Maps;

/// <summary>Starts the "map" and "map-type" shard regions and publishes them through <see cref="MapRegions"/>.</summary>
internal static class MapSharding
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
        var owners = replication?.Start(system, settings, hlc);

        // Handoff stops a partition like passivation does: after its in-flight writes, releasing its replicas.
        var partitions = await new ShardedEntityType(
            PartitionTypeName,
            entityId =>
            {
                var (mapName, partition) = PartitionMessageExtractor.Parse(entityId);
                return MapPartition.Props(mapName, partition, settings, hlc, changeFeed, owners);
            },
            PartitionMessageExtractor.For(settings.ShardCount),
            PartitionTicks.Stop.Instance).StartAsync(system).ConfigureAwait(false);

        var mapTypes = await MapTypes(settings).StartAsync(system).ConfigureAwait(false);

        regions.Set(partitions, mapTypes, changeFeed);
        return regions;
    }

    /// <summary>The "map-type" region: one <see cref="MapTypeRegistry"/> per map name, fixing the map's kind on its first claim.</summary>
    public static ShardedEntityType MapTypes(MapSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new ShardedEntityType(
            MapTypeTypeName,
            mapName => MapTypeRegistry.Props(mapName, settings.PassivateAfter),
            new StableShardExtractor<ClaimMapType>(settings.ShardCount, c => c.MapName));
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
