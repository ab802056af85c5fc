using Akka.Actor;
using Akka.Configuration;
using TopGun.Server.Sharding;
using TopGun.Server.Modules;

namespace TopGun.Server.Locks;

/// <summary>The node's "lock" shard region: one <see cref="LeaseLock"/> per lock name, addressed with <see cref="ILockCommand"/>s.</summary>
internal sealed class LockRegion() : ShardedFeature<LockSettings>(LockSettings.Default)
{
    public const string TypeName = "lock";

    public static LockRegion Get(ActorSystem system) => NodeExtension.Get<LockRegion>(system);

    protected override LockSettings ReadSettings(Config config) => LockSettings.Create(config);

    public override ShardedEntityType EntityType(LockSettings settings) => new(
        TypeName,
        name => LeaseLock.Props(name, settings),
        new StableShardExtractor<ILockCommand>(settings.ShardCount, c => c.Name));
}
