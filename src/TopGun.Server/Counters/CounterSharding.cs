using Akka.Actor;
using Akka.Cluster.Sharding;

namespace TopGun.Server.Counters;

/// <summary>Starts the "counter" shard region and publishes it through <see cref="CounterRegion"/>.</summary>
public static class CounterSharding
{
    public const string TypeName = "counter";

    /// <summary>Idempotent: a second call returns the region already started.</summary>
    public static async Task<CounterRegion> StartAsync(ActorSystem system, CounterSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        var region = CounterRegion.Get(system);
        if (region.IsStarted) return region;

        settings ??= CounterSettings.Create(system.Settings.Config);
        var sharding = ClusterSharding.Get(system);
        var shardingSettings = ClusterShardingSettings.Create(system);
        var counters = await sharding.StartAsync(
            TypeName,
            name => CounterEntity.Props(name, settings),
            shardingSettings,
            new CounterMessageExtractor(settings.ShardCount),
            sharding.DefaultShardAllocationStrategy(shardingSettings),
            CounterStop.Instance).ConfigureAwait(false);

        region.Set(counters, settings);
        return region;
    }
}
