using Akka.Actor;
using Akka.Configuration;
using TopGun.Server.Sharding;

namespace TopGun.Server.Modules;

/// <summary>
/// A feature served by one shard region: the handle connections look the region up in, and how the node starts
/// it. A feature declares its settings section and its <see cref="ShardedEntityType"/>; register it with
/// <c>FeatureStartup&lt;TFeature&gt;</c>. Actor specs put a probe in with <see cref="FeatureHandle{TSettings}.Set"/>.
/// </summary>
internal abstract class ShardedFeature<TSettings>(TSettings defaults) : FeatureHandle<TSettings>(defaults), INodeFeature where TSettings : class
{
    /// <summary>The region (takes the feature's entity messages); null until started.</summary>
    public IActorRef? Region => Actor;

    /// <summary>Reads the feature's section of the node config.</summary>
    protected abstract TSettings ReadSettings(Config config);

    /// <summary>The region the feature runs with <paramref name="settings"/>.</summary>
    public abstract ShardedEntityType EntityType(TSettings settings);

    public Task StartAsync(ActorSystem system) => StartAsync(system, null);

    /// <summary>Idempotent: a second call leaves the region already started. <paramref name="settings"/> null reads the node config.</summary>
    public async Task StartAsync(ActorSystem system, TSettings? settings)
    {
        ArgumentNullException.ThrowIfNull(system);
        if (IsStarted) return;
        settings ??= ReadSettings(system.Settings.Config);
        var region = await EntityType(settings).StartAsync(system).ConfigureAwait(false);
        Set(region, settings);
    }
}
