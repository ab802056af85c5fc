using Akka.Actor;

namespace TopGun.Server.Counters;

/// <summary>The node's "counter" shard region (takes <see cref="CounterEnvelope"/>s), available once <see cref="CounterShardingStartup"/> has run.</summary>
public sealed class CounterRegion : IExtension
{
    private IActorRef? _region;
    private CounterSettings _settings = CounterSettings.Default;

    public static CounterRegion Get(ActorSystem system) => system.WithExtension<CounterRegion, CounterRegionProvider>();

    public bool IsStarted => Volatile.Read(ref _region) is not null;

    /// <summary>The region, or null while it is not started (connections then answer counter messages with 503).</summary>
    public IActorRef? Region => Volatile.Read(ref _region);

    public CounterSettings Settings => Volatile.Read(ref _settings);

    /// <summary>Publishes the region; actor specs set a probe here.</summary>
    public void Set(IActorRef region, CounterSettings settings)
    {
        ArgumentNullException.ThrowIfNull(region);
        ArgumentNullException.ThrowIfNull(settings);
        Volatile.Write(ref _settings, settings);
        Volatile.Write(ref _region, region);
    }
}

public sealed class CounterRegionProvider : ExtensionIdProvider<CounterRegion>
{
    public override CounterRegion CreateExtension(ExtendedActorSystem system) => new();
}
