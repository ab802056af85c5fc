using Akka.Configuration;
using TopGun.Server.Clients;
using TopGun.Server.Configuration;
using TopGun.Server.Gateway;
using TopGun.Server.Node;

namespace TopGun.Server.Tests.Gateway;

public sealed class GatewaySettingsTests
{
    [Fact]
    public void Limits_and_close_timeout_are_read_from_hocon()
    {
        var config = ConfigurationFactory.ParseString("""
            topgun.limits { max-batch-ops = 7, op-rate = 0, op-rate-burst = 3, max-queries-per-client = 2, max-connections = 9, max-new-connections-per-second = 4 }
            topgun.gateway.close-timeout = 250ms
            """).WithFallback(NodeConfigurationLoader.Reference);

        var settings = GatewaySettings.FromConfig(config);

        Assert.Equal((7, 0d, 3d, 2, 9, 4d, TimeSpan.FromMilliseconds(250)),
            (settings.MaxBatchOps, settings.OpRatePerSecond, settings.OpRateBurst, settings.MaxQueriesPerClient,
             settings.MaxConnections, settings.MaxNewConnectionsPerSecond, settings.CloseTimeout));
    }

    [Fact]
    public void Gc_prune_messages_follow_the_partitions_tombstone_gc_interval()
    {
        foreach (var (operatorConfig, expected) in new[] { ("", TimeSpan.FromHours(1)), ("topgun.maps.tombstone-gc-interval = 90s", TimeSpan.FromSeconds(90)) })
        {
            var node = NodeConfigurationLoader.Load(Support.TestNode.Environment(Path.GetTempPath()), ConfigurationFactory.ParseString(operatorConfig));

            // As each side reads it: the gateway from the node's config, the partitions (MapSharding) from the ActorSystem's.
            var gcPrune = GatewaySettings.FromConfig(node.Config).GcPruneInterval;
            var partitions = Server.Maps.MapSettings.FromConfig(Server.Node.AkkaConfigBuilder.Build(node)).TombstoneGcInterval;

            Assert.Equal(expected, gcPrune);
            Assert.Equal(partitions, gcPrune);
        }
    }

    [Fact]
    public void An_op_rate_burst_smaller_than_a_full_batch_fails_startup()
    {
        var config = ConfigurationFactory.ParseString("topgun.limits { max-batch-ops = 100, op-rate = 10, op-rate-burst = 50 }")
            .WithFallback(NodeConfigurationLoader.Reference);

        var error = Assert.Throws<TopGunConfigurationException>(() => GatewaySettings.FromConfig(config));
        Assert.Contains("op-rate-burst", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Token_bucket_allows_a_burst_then_refills_at_its_rate()
    {
        long now = 0;
        var bucket = new TokenBucket(ratePerSecond: 10, capacity: 5, clock: () => now);

        Assert.True(bucket.TryTake(5));
        Assert.False(bucket.TryTake(1));
        now += System.Diagnostics.Stopwatch.Frequency / 10;
        Assert.True(bucket.TryTake(1));
        Assert.False(bucket.TryTake(1));
        now += System.Diagnostics.Stopwatch.Frequency * 10;
        Assert.False(bucket.TryTake(6));
        Assert.True(bucket.TryTake(5));
    }
}
