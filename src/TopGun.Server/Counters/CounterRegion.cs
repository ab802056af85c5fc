using Akka.Actor;
using TopGun.Server.Hosting;

namespace TopGun.Server.Counters;

/// <summary>The node's "counter" shard region (takes <see cref="CounterEnvelope"/>s), available once <see cref="CounterShardingStartup"/> has run.</summary>
public sealed class CounterRegion() : FeatureHandle<CounterSettings>(CounterSettings.Default)
{
    public static CounterRegion Get(ActorSystem system) => system.WithExtension<CounterRegion, CounterRegionProvider>();

    public IActorRef? Region => Actor;
}

public sealed class CounterRegionProvider : ExtensionIdProvider<CounterRegion>
{
    public override CounterRegion CreateExtension(ExtendedActorSystem system) => new();
}
