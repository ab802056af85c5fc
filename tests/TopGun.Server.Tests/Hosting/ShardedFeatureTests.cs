using Akka.Actor;
using Akka.Cluster.Sharding;
using TopGun.Server.Counters;
using TopGun.Server.Locks;
using TopGun.Server.Maps;

namespace TopGun.Server.Tests.Hosting;

/// <summary>
/// Type names and routing of every shard region are part of the cluster's wire contract: a node of another build
/// must put each entity in the same shard of the same region, and hand the entity the same message.
/// </summary>
public sealed class ShardedFeatureTests
{
    private static readonly object Unrelated = "not an entity message";

    [Fact]
    public void The_counter_region_keeps_its_type_name_shards_unwrapping_and_handoff_message()
    {
        var type = new CounterRegion().EntityType(CounterSettings.Default);
        var command = new GetCounter(7);

        Assert.Equal("counter", type.TypeName);
        Assert.Same(CounterStop.Instance, type.HandOffStopMessage);
        AssertRoutes(type.Extractor, new CounterEnvelope("likes", command), "likes", command, shardCount: 64);
    }

    [Fact]
    public void The_lock_region_keeps_its_type_name_shards_and_hands_the_command_over_whole()
    {
        var type = new LockRegion().EntityType(LockSettings.Default);
        var command = new ReleaseLock("orders", 3, 9, ActorRefs.Nobody);

        Assert.Equal("lock", type.TypeName);
        Assert.Null(type.HandOffStopMessage);
        AssertRoutes(type.Extractor, command, "orders", command, shardCount: 64);
    }

    [Fact]
    public void The_map_regions_keep_their_type_names_shards_and_unwrapping()
    {
        var command = new GetPartitionRoot(5);
        var envelope = new PartitionEnvelope("users", "a", command);
        var claim = new ClaimMapType("users", default);
        var mapTypes = MapSharding.MapTypes(MapSettings.FromConfig(Akka.Configuration.ConfigurationFactory.ParseString("topgun.node-id = n1")));

        Assert.Equal(("map", "map-type"), (MapSharding.PartitionTypeName, mapTypes.TypeName));
        AssertRoutes(PartitionMessageExtractor.For(64), envelope, "users|a", command, shardCount: 64);
        AssertRoutes(mapTypes.Extractor, claim, "users", claim, shardCount: 64);
    }

    private static void AssertRoutes(IMessageExtractor extractor, object message, string entityId, object entityMessage, int shardCount)
    {
        var shard = (Core.Merkle.Fnv1a.Hash(entityId) % (uint)shardCount).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(entityId, extractor.EntityId(message));
#pragma warning disable CS0618 // Akka 1.5 routes through ShardId(entityId, hint); the message overload stays in the contract.
        Assert.Equal(shard, extractor.ShardId(message));
        Assert.Null(extractor.ShardId(Unrelated));
#pragma warning restore CS0618
        Assert.Equal(shard, extractor.ShardId(entityId));
        Assert.Same(entityMessage, extractor.EntityMessage(message));
        Assert.Null(extractor.EntityId(Unrelated));
        Assert.Same(Unrelated, extractor.EntityMessage(Unrelated));
    }
}
