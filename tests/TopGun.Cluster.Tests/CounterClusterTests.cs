using Akka.Actor;
using Akka.Cluster.Sharding;
using TopGun.Cluster.Tests.Support;
using TopGun.Core.Protocol;
using TopGun.Server.Counters;

namespace TopGun.Cluster.Tests;

/// <summary>Counters across three in-process nodes on one PostgreSQL schema: one state per name, pushed to every node.</summary>
public sealed class CounterClusterTests
{
    private static CounterStatePayload Payload(string node, double p) =>
        new(new WireMap<double>([new(node, p)]), WireMap<double>.Empty);

    private static double Value(CounterStatePayload state) =>
        state.P.Entries.ToArray().Sum(e => e.Value) - state.N.Entries.ToArray().Sum(e => e.Value);

    private static async Task<IReadOnlySet<string>> HostedCountersAsync(ClusterNode node)
    {
        var state = await CounterRegion.Get(node.System).Region!.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, TimeSpan.FromSeconds(15));
        return state.Shards.SelectMany(s => s.EntityIds).ToHashSet(StringComparer.Ordinal);
    }

    [Fact]
    public async Task A_sync_through_node_A_reaches_a_subscriber_on_node_C_also_after_the_node_hosting_the_counter_crashed()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var (a, b, c) = (cluster.Nodes[0], cluster.Nodes[1], cluster.Nodes[2]);
        await using var writer = await ProtocolClient.ConnectAndAuthenticateAsync(a.WebSocketAddress, TestTokens.Valid("writer"));
        await using var reader = await ProtocolClient.ConnectAndAuthenticateAsync(c.WebSocketAddress, TestTokens.Valid("reader"));

        // Enough counters that the shards spread over all three nodes, so one of them lives on neither client's node.
        var names = Enumerable.Range(0, 12).Select(i => "likes-" + i).ToArray();
        foreach (var name in names)
        {
            await reader.SendAsync(new CounterRequestMessage(name));
            Assert.Equal(0, Value((await reader.ExpectEventuallyAsync<CounterResponseMessage>(r => r.Name == name)).State));
        }
        var onB = await HostedCountersAsync(b);
        var remote = names.First(onB.Contains);

        await writer.SendAsync(new CounterSyncMessage(remote, Payload("writer-node", 3)));
        Assert.Equal(3, Value((await writer.ExpectEventuallyAsync<CounterUpdateMessage>(u => u.Name == remote)).State));
        Assert.Equal(3, Value((await reader.ExpectEventuallyAsync<CounterUpdateMessage>(u => u.Name == remote)).State));

        await cluster.CrashAsync(b);
        await Eventually.Async(async () =>
        {
            var hosted = (await HostedCountersAsync(a)).Concat(await HostedCountersAsync(c));
            Assert.Contains(remote, hosted);
        }, TestCluster.Timeout, TimeSpan.FromMilliseconds(500));

        // The counter recovered from the journal on a survivor, and the reader on C subscribed to it again.
        await writer.SendAsync(new CounterSyncMessage(remote, Payload("writer-node", 10)));
        Assert.Equal(10, Value((await writer.ExpectEventuallyAsync<CounterUpdateMessage>(u => u.Name == remote && Value(u.State) == 10)).State));
        Assert.Equal(10, Value((await reader.ExpectEventuallyAsync<CounterUpdateMessage>(u => u.Name == remote && Value(u.State) == 10)).State));
    }
}
