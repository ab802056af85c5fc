using TopGun.Cluster.Tests.Support;
using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Protocol;
using TopGun.Core.Values;

namespace TopGun.Cluster.Tests;

/// <summary>Three in-process nodes on loopback ports and one PostgreSQL schema: membership, spread, replicas and cross-node fan-out.</summary>
public sealed class ThreeNodeClusterTests
{
    private readonly Hlc _clock = new("writer");

    [Fact]
    public async Task A_write_through_node_A_reaches_a_subscriber_on_node_C_and_every_partition_has_a_replica_elsewhere()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var (a, b, c) = (cluster.Nodes[0], cluster.Nodes[1], cluster.Nodes[2]);

        await using var writer = await ProtocolClient.ConnectAndAuthenticateAsync(a.WebSocketAddress, TestTokens.Valid("writer"));
        await using var reader = await ProtocolClient.ConnectAndAuthenticateAsync(c.WebSocketAddress, TestTokens.Valid("reader"));
        await reader.SendAsync(new QuerySubMessage("q1", "todos", Value.Map()));
        await reader.ExpectEventuallyAsync<QueryRespMessage>(r => r.QueryId == "q1");
        // A subscription acknowledged on node C is effective cluster-wide at once: a single write through A must arrive.
        var record = new LwwRecord(Value.Map(("title", Value.Of("milk"))), _clock.Now());
        await writer.SendAsync(new ClientOpMessage(new ClientOp("todos", "t1", Id: "w1", Record: record)));
        Assert.Equal("w1", (await writer.ExpectEventuallyAsync<OpAckMessage>()).LastId);
        var update = await reader.ExpectEventuallyAsync<QueryUpdateMessage>(u => u.Key == "t1");
        Assert.Equal("q1", update.QueryId);

        // A batch over every partition: partitions land on all three nodes, a query on B gathers them all.
        var ops = Enumerable.Range(0, 200).Select(i => new ClientOp("todos", "k" + i, Id: "b" + i, Record: new LwwRecord(Value.Of(i), _clock.Now()))).ToArray();
        await writer.SendAsync(new OpBatchMessage(ops));
        await writer.ExpectEventuallyAsync<OpAckMessage>(m => m.LastId == "b199");

        await using var other = await ProtocolClient.ConnectAndAuthenticateAsync(b.WebSocketAddress, TestTokens.Valid("other"));
        await other.SendAsync(new QuerySubMessage("all", "todos", Value.Map()));
        var all = await other.ExpectEventuallyAsync<QueryRespMessage>(r => r.QueryId == "all");
        Assert.Equal(201, all.Results.AsSpan().Length);

        // A node whose region registered after the first allocations gets shards by rebalancing, hence eventually.
        await Eventually.Async(async () =>
        {
            foreach (var node in cluster.Nodes)
                Assert.Contains(await node.HostedPartitionsAsync(), id => id.StartsWith("todos|", StringComparison.Ordinal));
        }, TestCluster.Timeout, TimeSpan.FromSeconds(1));
        await Eventually.Async(() => cluster.AssertReplicasMatchOwnersAsync("todos"), TestCluster.Timeout);
    }
}
