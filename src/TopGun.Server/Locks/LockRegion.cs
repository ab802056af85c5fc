using Akka.Actor;
using TopGun.Server.Hosting;

namespace TopGun.Server.Locks;

/// <summary>The node's "lock" shard region, available once <see cref="LockShardingStartup"/> has run; takes <see cref="ILockCommand"/>s.</summary>
public sealed class LockRegion() : FeatureHandle<LockSettings>(LockSettings.Default)
{
    public static LockRegion Get(ActorSystem system) => system.WithExtension<LockRegion, LockRegionProvider>();

    public IActorRef? Region => Actor;
}

public sealed class LockRegionProvider : ExtensionIdProvider<LockRegion>
{
    public override LockRegion CreateExtension(ExtendedActorSystem system) => new();
}
