using TopGun.Cluster.Tests.Support;
using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Protocol;
using TopGun.Core.Values;
using TopGun.Server.Maps;

namespace TopGun.Cluster.Tests;

/// <summary>Node loss and restarts: the survivors take over the partitions with every acknowledged write.</summary>
public sealed class FailoverTests
{
    private readonly Hlc _clock = new("writer");

    [Fact]
    public async Task Partitions_of_a_lost_node_recover_on_the_survivors_with_every_acknowledged_write_and_fresh_replicas()
    {
        await using var cluster = await TestCluster.StartAsync(3, "topgun.replication.anti-entropy-interval = 2s");
        var a = cluster.Nodes[0];
        var ops = Enumerable.Range(0, 400).Select(i => Op("user-" + i, i)).ToArray();
        var replies = await TestCluster.WriteAsync(a, "users", ops, WriteConcern.Replicated);
        Assert.All(replies, r => Assert.True(r.Achieved >= WriteConcern.Replicated, $"achieved {r.Achieved}"));
        var expected = Expected("users", ops);

        // The victim must own partitions; which of the other two nodes got shards depends on when their regions registered.
        ClusterNode? victim = null;
        foreach (var node in cluster.Nodes.Skip(1))
        {
            if ((await node.HostedPartitionsAsync()).Any(id => id.StartsWith("users|", StringComparison.Ordinal)))
            {
                victim = node;
                break;
            }
        }
        Assert.True(victim is not null, "neither node B nor node C hosts a partition of 'users'");

        await cluster.CrashAsync(victim);

        Assert.Equal(expected, await cluster.OwnerRootsAsync(a, "users"));
        await Eventually.Async(() => cluster.AssertReplicasMatchOwnersAsync("users"), TestCluster.Timeout);
    }

    [Fact]
    public async Task A_rolling_restart_of_every_node_under_writes_loses_no_acknowledged_write()
    {
        await using var cluster = await TestCluster.StartAsync(3, "topgun.replication.anti-entropy-interval = 2s");
        var acknowledged = new List<LwwOp>();
        var round = 0;
        for (var i = 0; i < 3; i++)
        {
            var victim = cluster.Nodes[i];
            var writes = WriteRoundsAsync(() => cluster.Running.First(n => n != victim), acknowledged, () => round++);
            await cluster.StopAsync(victim);
            await writes;
            await cluster.AddNodeAsync(victim.Name + "-restarted");
            await cluster.WaitForMembersAsync(3);
        }

        var expected = Expected("orders", acknowledged);
        Assert.Equal(expected, await cluster.OwnerRootsAsync(cluster.Running.First(), "orders"));
        await Eventually.Async(() => cluster.AssertReplicasMatchOwnersAsync("orders"), TestCluster.Timeout);
    }

    /// <summary>
    /// Five batches through a surviving node while a node stops. Like a client, an unacknowledged batch is
    /// sent again (merges are idempotent) until acknowledged, so the expected state is exactly every batch.
    /// </summary>
    private async Task WriteRoundsAsync(Func<ClusterNode> via, List<LwwOp> acknowledged, Func<int> nextRound)
    {
        for (var i = 0; i < 5; i++)
        {
            var r = nextRound();
            var ops = Enumerable.Range(0, 40).Select(k => Op($"order-{r}-{k}", k)).ToArray();
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var replies = await TestCluster.WriteAsync(via(), "orders", ops, WriteConcern.Persisted);
                    if (replies.All(x => x.Outcomes.All(o => o.Success)))
                    {
                        acknowledged.AddRange(ops);
                        break;
                    }
                }
                catch (Exception e) when (attempt < 5 && e is Akka.Actor.AskTimeoutException or TaskCanceledException)
                {
                    // Not acknowledged: retried below, as the client's op log would.
                }
            }
        }
    }

    private static Dictionary<string, uint> Expected(string mapName, IEnumerable<LwwOp> ops)
    {
        var roots = PartitionKey.All(16).ToDictionary(p => PartitionKey.EntityId(mapName, p), _ => 0u, StringComparer.Ordinal);
        foreach (var group in ops.GroupBy(o => PartitionKey.Of(o.Key)))
        {
            var state = new PartitionState(mapName, group.Key, 16, new Hlc("expected"));
            state.ApplyLww(group.ToArray());
            roots[PartitionKey.EntityId(mapName, group.Key)] = state.RootHash;
        }
        return roots;
    }

    private LwwOp Op(string key, int value) => new(null, key, new LwwRecord(Value.Of(value), _clock.Now()));
}
