using System.Diagnostics;
using TopGun.Cluster.Tests.Support;
using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Protocol;
using TopGun.Core.Values;

namespace TopGun.Cluster.Tests;

/// <summary>
/// REPLICATED over a real WebSocket: the owner waits for a replica's confirmation, and a wait that times out is
/// reported as what it achieved (APPLIED, not successful) rather than as PERSISTED.
/// </summary>
public sealed class ReplicatedWriteConcernTests
{
    private static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(2);
    private readonly Hlc _clock = new("writer");

    [Fact]
    public async Task A_REPLICATED_write_waits_for_a_replica_and_reports_APPLIED_with_a_timeout_error_when_none_confirms()
    {
        await using var cluster = await TestCluster.StartAsync(2, $"topgun.replication.replica-ack-timeout = {AckTimeout.TotalMilliseconds}ms");
        await using var writer = await ProtocolClient.ConnectAndAuthenticateAsync(cluster.Nodes[0].WebSocketAddress, TestTokens.Valid("writer"));

        // Deltas flowing: a replica confirms every partition's write.
        var confirmed = Ops("confirmed", 48);
        await writer.SendAsync(new OpBatchMessage(confirmed, WriteConcern.Replicated));
        var ack = await writer.ExpectEventuallyAsync<OpAckMessage>(m => m.LastId == confirmed[^1].Id);
        Assert.True(ack.AchievedLevel >= WriteConcern.Replicated, $"batch achieved {ack.AchievedLevel}");
        Assert.Equal(confirmed.Length, ack.Results!.Count);
        Assert.All(ack.Results, r =>
        {
            Assert.True(r.Success, r.Error);
            Assert.True(r.AchievedLevel >= WriteConcern.Replicated, $"{r.OpId} achieved {r.AchievedLevel}");
        });

        // No replica ever gets a delta: the owner must wait out the timeout, then report APPLIED, not PERSISTED.
        foreach (var node in cluster.Nodes) node.Deltas.Drop = true;
        var lost = Ops("lost", 48);
        // Same partition as a REPLICATED op, but asking only for APPLIED: that op's concern is met.
        var modestKey = Enumerable.Range(0, 10_000).Select(i => "modest-" + i).First(k => Partition(k) == Partition(lost[0].Key));
        var modest = new ClientOp("stock", modestKey, Id: "lost-modest", Record: Record(1), WriteConcern: WriteConcern.Applied);
        var batch = lost.Append(modest).ToArray();
        var clock = Stopwatch.StartNew();
        await writer.SendAsync(new OpBatchMessage(batch, WriteConcern.Replicated));
        ack = await writer.ExpectEventuallyAsync<OpAckMessage>(m => m.LastId == modest.Id);
        Assert.True(clock.Elapsed >= AckTimeout - TimeSpan.FromMilliseconds(50), $"answered after {clock.Elapsed}, before the replica-ack timeout of {AckTimeout}");
        Assert.True(cluster.Nodes.Sum(n => n.Deltas.Dropped) > 0);
        Assert.Equal(WriteConcern.Applied, ack.AchievedLevel);
        Assert.Equal(batch.Length, ack.Results!.Count);
        foreach (var result in ack.Results.Where(r => r.OpId != modest.Id))
        {
            Assert.False(result.Success, $"{result.OpId} reported success without a replica");
            Assert.Equal(WriteConcern.Applied, result.AchievedLevel);
            Assert.Equal(
                $"Timeout: achieved APPLIED, requested REPLICATED (the op is applied and journaled; no replica confirmed within {AckTimeout.TotalMilliseconds} ms)",
                result.Error);
        }
        var modestResult = Assert.Single(ack.Results, r => r.OpId == modest.Id);
        Assert.True(modestResult.Success, modestResult.Error);
        Assert.Equal(WriteConcern.Applied, modestResult.AchievedLevel);

        // A single CLIENT_OP is acked the same way (the op is applied and journaled), not rejected.
        var single = new ClientOp("stock", "single", Id: "single-1", Record: Record(7), WriteConcern: WriteConcern.Replicated);
        clock.Restart();
        await writer.SendAsync(new ClientOpMessage(single));
        ack = await writer.ExpectEventuallyAsync<OpAckMessage>(m => m.LastId == single.Id);
        Assert.True(clock.Elapsed >= AckTimeout - TimeSpan.FromMilliseconds(50), $"answered after {clock.Elapsed}, before the replica-ack timeout of {AckTimeout}");
        Assert.Equal(WriteConcern.Applied, ack.AchievedLevel);
        var singleResult = Assert.Single(ack.Results!);
        Assert.False(singleResult.Success);
        Assert.Equal(WriteConcern.Applied, singleResult.AchievedLevel);
        Assert.StartsWith("Timeout: achieved APPLIED, requested REPLICATED", singleResult.Error, StringComparison.Ordinal);

        // The timed-out ops are applied all the same: the owners' roots hold every op written.
        var expected = ExpectedRoots.Of("stock", confirmed.Concat(batch).Append(single).Select(o => (o.Key, o.Record!)));
        Assert.Equal(expected, await cluster.OwnerRootsAsync(cluster.Nodes[0], "stock"));
    }

    private ClientOp[] Ops(string prefix, int count) =>
        Enumerable.Range(0, count).Select(i => new ClientOp("stock", $"{prefix}-{i}", Id: $"{prefix}-{i:D3}", Record: Record(i))).ToArray();

    private LwwRecord Record(int value) => new(Value.Of(value), _clock.Now());

    private static string Partition(string key) => TopGun.Server.Maps.PartitionKey.Of(key);
}
