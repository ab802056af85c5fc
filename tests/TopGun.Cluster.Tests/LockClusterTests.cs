using TopGun.Cluster.Tests.Support;
using TopGun.Core.Protocol;

namespace TopGun.Cluster.Tests;

/// <summary>One lock used by clients on different nodes of a three-node cluster, including the loss of the holder's node.</summary>
public sealed class LockClusterTests
{
    [Fact]
    public async Task Clients_on_node_A_and_node_C_take_turns_and_the_holder_losing_its_node_hands_the_lock_on_with_a_higher_token()
    {
        await using var cluster = await TestCluster.StartAsync(3, "topgun.locks.resend-interval = 1s");
        var (a, c) = (cluster.Nodes[0], cluster.Nodes[2]);
        var onA = await ProtocolClient.ConnectAndAuthenticateAsync(a.WebSocketAddress, TestTokens.Valid("alice"));
        await using var onC = await ProtocolClient.ConnectAndAuthenticateAsync(c.WebSocketAddress, TestTokens.Valid("carol"));

        await onA.SendAsync(new LockRequestMessage("a1", "shared", 60_000));
        var first = (await onA.ExpectEventuallyAsync<LockGrantedMessage>()).FencingToken;
        await onC.SendAsync(new LockRequestMessage("c1", "shared", 60_000));
        await onA.SendAsync(new LockReleaseMessage("shared", first, "a-rel"));
        Assert.True((await onA.ExpectEventuallyAsync<LockReleasedMessage>()).Success);
        Assert.Equal(new LockGrantedMessage("c1", "shared", first + 1), await onC.ExpectEventuallyAsync<LockGrantedMessage>());

        // Node A takes the lock back, then dies with the connection that holds it (and maybe with the lock entity).
        await onA.SendAsync(new LockRequestMessage("a2", "shared", 5000));
        await onC.SendAsync(new LockReleaseMessage("shared", first + 1, "c-rel"));
        Assert.True((await onC.ExpectEventuallyAsync<LockReleasedMessage>()).Success);
        Assert.Equal(first + 2, (await onA.ExpectEventuallyAsync<LockGrantedMessage>()).FencingToken);
        await onC.SendAsync(new LockRequestMessage("c2", "shared", 60_000));

        await cluster.CrashAsync(a);
        await onA.DisposeAsync();

        var after = await onC.ExpectEventuallyAsync<LockGrantedMessage>();
        Assert.Equal("c2", after.RequestId);
        Assert.Equal(first + 3, after.FencingToken);
    }
}
