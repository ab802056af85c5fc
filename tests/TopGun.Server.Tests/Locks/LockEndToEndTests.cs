using System.Net.WebSockets;
using System.Text;
using TopGun.Core.Protocol;
using TopGun.Server.Tests.Gateway;
using TopGun.Server.Tests.Protocol;

namespace TopGun.Server.Tests.Locks;

/// <summary>Locks through real WebSockets, the "lock" shard region and a SQLite journal on one node.</summary>
public sealed class LockEndToEndTests(SqliteEndToEndNodeFixture fixture) : IClassFixture<SqliteEndToEndNodeFixture>
{
    private Uri Address => fixture.Node.Address;

    [Fact]
    public async Task A_waiter_gets_the_lock_with_a_higher_token_when_the_holder_disconnects()
    {
        var holder = await ProtocolClient.ConnectAndAuthenticateAsync(Address, TestTokens.Valid("alice"));
        await using var waiter = await ProtocolClient.ConnectAndAuthenticateAsync(Address, TestTokens.Valid("bob"));

        await holder.SendAsync(new LockRequestMessage("a1", "e2e-disconnect", 30_000));
        var granted = await holder.ExpectEventuallyAsync<LockGrantedMessage>();
        Assert.Equal("a1", granted.RequestId);
        await waiter.SendAsync(new LockRequestMessage("b1", "e2e-disconnect", 30_000));

        // The holder asks again: an extension with the same token, so the waiter is still waiting.
        await holder.SendAsync(new LockRequestMessage("a2", "e2e-disconnect", 30_000));
        var extended = await holder.ExpectEventuallyAsync<LockGrantedMessage>();
        Assert.Equal(new LockGrantedMessage("a2", "e2e-disconnect", granted.FencingToken), extended);

        await holder.DisposeAsync();

        var next = await waiter.ExpectEventuallyAsync<LockGrantedMessage>();
        Assert.Equal("b1", next.RequestId);
        Assert.Equal(granted.FencingToken + 1, next.FencingToken);
    }

    [Fact]
    public async Task A_release_with_a_stale_token_fails_and_the_right_one_frees_the_lock_for_the_next_waiter()
    {
        await using var first = await ProtocolClient.ConnectAndAuthenticateAsync(Address, TestTokens.Valid("alice"));
        await using var second = await ProtocolClient.ConnectAndAuthenticateAsync(Address, TestTokens.Valid("bob"));
        await first.SendAsync(new LockRequestMessage("r1", "e2e-release"));
        var token = (await first.ExpectEventuallyAsync<LockGrantedMessage>()).FencingToken;
        await second.SendAsync(new LockRequestMessage("r2", "e2e-release"));

        await first.SendAsync(new LockReleaseMessage("e2e-release", token + 100, "rel-stale"));
        Assert.Equal(new LockReleasedMessage("rel-stale", "e2e-release", false), await first.ExpectEventuallyAsync<LockReleasedMessage>());
        await second.SendAsync(new LockReleaseMessage("e2e-release", token, "rel-not-mine"));
        Assert.False((await second.ExpectEventuallyAsync<LockReleasedMessage>()).Success);

        await first.SendAsync(new LockReleaseMessage("e2e-release", token, "rel-ok"));
        Assert.Equal(new LockReleasedMessage("rel-ok", "e2e-release", true), await first.ExpectEventuallyAsync<LockReleasedMessage>());
        Assert.Equal(new LockGrantedMessage("r2", "e2e-release", token + 1), await second.ExpectEventuallyAsync<LockGrantedMessage>());
    }

    [Fact]
    public async Task Bad_lock_input_gets_a_clear_error_and_the_connection_stays_usable()
    {
        await using var client = await ProtocolClient.ConnectAndAuthenticateAsync(Address, TestTokens.Valid("carol"));

        await client.SendRawAsync(Encoding.UTF8.GetBytes("""{"type":"LOCK_REQUEST","payload":{"requestId":"x","name":"n","ttl":"ten seconds"}}"""), WebSocketMessageType.Text);
        var badTtl = await client.ExpectEventuallyAsync<ErrorMessage>();
        Assert.Equal(400, badTtl.Code);
        Assert.Contains("ttl", badTtl.Details!.ToString(), StringComparison.Ordinal);

        await client.SendAsync(new LockRequestMessage("y", ""));
        Assert.Equal(400, (await client.ExpectEventuallyAsync<ErrorMessage>()).Code);

        await client.SendAsync(new LockRequestMessage("z", "e2e-after-errors"));
        Assert.Equal("z", (await client.ExpectEventuallyAsync<LockGrantedMessage>()).RequestId);
    }
}
