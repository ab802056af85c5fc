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
    private const int MaxAttempts = 5;
    private static readonly TimeSpan RetryBudget = TestCluster.Timeout * 2;
    private readonly Hlc _clock = new("writer");

    [Fact]
    public async Task Partitions_of_a_lost_node_recover_on_the_survivors_with_every_acknowledged_write_and_fresh_replicas()
    {
        await using var cluster = await TestCluster.StartAsync(3, "topgun.replication.anti-entropy-interval = 2s");
        var a = cluster.Nodes[0];
        var ops = Enumerable.Range(0, 400).Select(i => Op("user-" + i, i)).ToArray();
        var replies = await TestCluster.WriteAsync(a, "users", ops, WriteConcern.Replicated);
        // A timed-out replica wait reports APPLIED with ConcernNotMet, so this holds only if a replica confirmed every batch.
        Assert.All(replies, r =>
        {
            Assert.True(r.Achieved >= WriteConcern.Replicated, $"achieved {r.Achieved}: {r.ConcernNotMet}");
            Assert.Null(r.ConcernNotMet);
            Assert.All(r.Outcomes, o => Assert.True(o.Success, o.Error));
        });
        var expected = ExpectedRoots.Of("users", ops);

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

        var expected = ExpectedRoots.Of("orders", acknowledged);
        Assert.Equal(expected, await cluster.OwnerRootsAsync(cluster.Running.First(), "orders"));
        await Eventually.Async(() => cluster.AssertReplicasMatchOwnersAsync("orders"), TestCluster.Timeout);
    }

    /// <summary>
    /// Five batches through a surviving node while a node stops. Like a client, an unacknowledged batch is
    /// sent again (merges are idempotent) until acknowledged, so the expected state is exactly every batch.
    /// Bounded: a batch still unacknowledged after <see cref="MaxAttempts"/> sends or <see cref="RetryBudget"/> fails the test.
    /// </summary>
    private async Task WriteRoundsAsync(Func<ClusterNode> via, List<LwwOp> acknowledged, Func<int> nextRound)
    {
        for (var i = 0; i < 5; i++)
        {
            var r = nextRound();
            var ops = Enumerable.Range(0, 40).Select(k => Op($"order-{r}-{k}", k)).ToArray();
            var started = DateTime.UtcNow;
            var failures = new List<string>();
            while (true)
            {
                if (failures.Count >= MaxAttempts || DateTime.UtcNow - started > RetryBudget)
                {
                    Assert.Fail($"Batch {r} was not acknowledged after {failures.Count} attempts in {DateTime.UtcNow - started:g}: {string.Join("; ", failures)}");
                }
                try
                {
                    var replies = await TestCluster.WriteAsync(via(), "orders", ops, WriteConcern.Persisted);
                    var rejected = replies.SelectMany(x => x.Outcomes).Where(o => !o.Success).ToArray();
                    if (rejected.Length == 0)
                    {
                        acknowledged.AddRange(ops);
                        break;
                    }
                    failures.Add($"{rejected.Length} ops rejected, first: {rejected[0].Error}");
                }
                catch (Exception e) when (e is Akka.Actor.AskTimeoutException or TaskCanceledException)
                {
                    // Not acknowledged: sent again, as the client's op log would.
                    failures.Add(e.GetType().Name);
                }
            }
        }
    }

    private LwwOp Op(string key, int value) => new(null, key, new LwwRecord(Value.Of(value), _clock.Now()));
}
