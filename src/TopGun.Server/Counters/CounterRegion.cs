using Akka.Actor;
using Akka.Configuration;
using TopGun.Server.Sharding;
using TopGun.Server.Modules;

namespace TopGun.Server.Counters;

/// <summary>The node's "counter" shard region: one <see cref="CounterEntity"/> per counter name, addressed with <see cref="CounterEnvelope"/>s.</summary>
internal sealed class CounterRegion() : ShardedFeature<CounterSettings>(CounterSettings.Default)
{
    public const string TypeName = "counter";

    public static CounterRegion Get(ActorSystem system) => NodeExtension.Get<CounterRegion>(system);

    protected override CounterSettings ReadSettings(Config config) => CounterSettings.Create(config);

    public override ShardedEntityType EntityType(CounterSettings settings) => new(
        TypeName,
        name => CounterEntity.Props(name, settings),
        new StableShardExtractor<CounterEnvelope>(settings.ShardCount, e => e.Name, e => e.Command),
        CounterStop.Instance);
}
