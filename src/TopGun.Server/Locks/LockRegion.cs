using Akka.Actor;

namespace TopGun.Server.Locks;

/// <summary>The node's "lock" shard region, available once <see cref="LockShardingStartup"/> has run; takes <see cref="ILockCommand"/>s.</summary>
public sealed class LockRegion : IExtension
{
    private IActorRef? _region;
    private LockSettings _settings = LockSettings.Default;

    public static LockRegion Get(ActorSystem system) => system.WithExtension<LockRegion, LockRegionProvider>();

    public bool IsStarted => Volatile.Read(ref _region) is not null;

    /// <summary>The region, or null before it started (connections then answer lock requests with 503).</summary>
    public IActorRef? Region => Volatile.Read(ref _region);

    public LockSettings Settings => Volatile.Read(ref _settings);

    /// <summary>Publishes the region; actor specs pass a probe here to stand in for it.</summary>
    internal void Set(IActorRef region, LockSettings settings)
    {
        Volatile.Write(ref _settings, settings);
        Volatile.Write(ref _region, region);
    }
}

public sealed class LockRegionProvider : ExtensionIdProvider<LockRegion>
{
    public override LockRegion CreateExtension(ExtendedActorSystem system) => new();
}
