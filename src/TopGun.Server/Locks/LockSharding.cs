using Akka.Actor;
using Akka.Cluster.Sharding;

namespace TopGun.Server.Locks;

/// <summary>Starts the "lock" shard region (one <see cref="LeaseLock"/> per lock name) and publishes it through <see cref="LockRegion"/>.</summary>
public static class LockSharding
{
    public const string TypeName = "lock";

    /// <summary>Idempotent: a second call returns the region already started.</summary>
    public static async Task<LockRegion> StartAsync(ActorSystem system, LockSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        var region = LockRegion.Get(system);
        if (region.IsStarted) return region;

        settings ??= LockSettings.Create(system.Settings.Config);
        var sharding = ClusterSharding.Get(system);
        var shardingSettings = ClusterShardingSettings.Create(system);
        var started = await sharding.StartAsync(
            TypeName,
            name => LeaseLock.Props(name, settings),
            shardingSettings,
            new LockMessageExtractor(settings.ShardCount)).ConfigureAwait(false);
        region.Set(started, settings);
        return region;
    }
}
