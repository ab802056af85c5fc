using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.TestKit.Xunit2;
using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Protocol;
using TopGun.Core.Values;
using TopGun.Server.Configuration;
using TopGun.Server.Maps;
using TopGun.Server.Replication;
using TopGun.Server.Sharding;
using TopGun.Server.Storage;
using TopGun.Server.Tests.Support;
using TopGun.Server.Node;

namespace TopGun.Server.Tests.Maps;

/// <summary>The sharded path end to end on a one-node cluster: region → partition → SQLite → restart → data back.</summary>
public sealed class MapShardingTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Writes_through_the_region_are_published_and_survive_a_restart_of_the_node()
    {
        var node = NodeConfigurationLoader.Load(TestNode.Environment(_dir.Path, ("TOPGUN_NODE_ID", "shard-test")));
        var key = "user:1";
        var envelope = (IPartitionCommand command) => new PartitionEnvelope("users", PartitionKey.Of(key), command);
        var record = new LwwRecord(Value.Map(("name", Value.Of("Ada"))), new Timestamp(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 0, "client"));
        uint root;

        var system = await StartNodeAsync(node);
        try
        {
            var regions = await MapSharding.StartAsync(system, replication: new MapReplication());
            var claimed = await regions.MapTypes.Ask<MapTypeClaimed>(new ClaimMapType("users", MapKind.Lww), Timeout);
            Assert.Equal(MapKind.Lww, claimed.Actual);

            var kit = new TestKit(system);
            var subscriber = kit.CreateTestProbe();
            MapRegions.Get(system).ChangeFeed.Tell(new Subscribe(MapChanged.Topic("users"), subscriber.Ref), subscriber.Ref);
            subscriber.ExpectMsg<SubscribeAck>(Timeout);

            var applied = await regions.Partitions.Ask<OpsApplied>(envelope(new ApplyLwwOps(1, [new LwwOp("op-1", key, record)], WriteConcern.Persisted, "client-1")), Timeout);
            Assert.True(Assert.Single(applied.Outcomes).Success);
            var changed = subscriber.ExpectMsg<MapChanged>(Timeout);
            Assert.Equal(record, Assert.Single(changed.Changes).Record);

            root = (await regions.Partitions.Ask<PartitionRoot>(envelope(new GetPartitionRoot(2)), Timeout)).Hash;
            Assert.NotEqual(0u, root);
        }
        finally
        {
            await system.Terminate();
        }

        var restarted = await StartNodeAsync(node);
        try
        {
            var regions = await MapSharding.StartAsync(restarted, replication: new MapReplication());
            var after = await regions.Partitions.Ask<PartitionRoot>(envelope(new GetPartitionRoot(3)), Timeout);
            Assert.Equal(root, after.Hash);
            Assert.Equal(MapKind.Lww, after.Kind);
            var claim = await regions.MapTypes.Ask<MapTypeClaimed>(new ClaimMapType("users", MapKind.Or), Timeout);
            Assert.Equal(MapKind.Lww, claim.Actual);
        }
        finally
        {
            await restarted.Terminate();
        }
    }

    [Fact]
    public void Shard_ids_are_stable_across_processes_and_spread_over_the_configured_count()
    {
        Assert.Equal(StableShardId.Of("users|a", 64), StableShardId.Of("users|a", 64));
        Assert.Equal((Core.Merkle.Fnv1a.Hash("users|a") % 64).ToString(System.Globalization.CultureInfo.InvariantCulture), StableShardId.Of("users|a", 64));
        var shards = Enumerable.Range(0, 1000).Select(i => StableShardId.Of($"map{i}|0", 64)).Distinct().Count();
        Assert.Equal(64, shards);
        Assert.Equal(("a|b", "f"), PartitionMessageExtractor.Parse("a|b|f"));
    }

    private static async Task<ActorSystem> StartNodeAsync(NodeConfiguration node)
    {
        await StorageBootstrap.PrepareAsync(node.Settings, CancellationToken.None);
        var system = ActorSystem.Create(node.Settings.Cluster.SystemName, AkkaConfigBuilder.Build(node));
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cluster = Cluster.Get(system);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        cluster.Join(cluster.SelfAddress);
        await up.Task.WaitAsync(Timeout);
        return system;
    }

    public void Dispose() => _dir.Dispose();
}
