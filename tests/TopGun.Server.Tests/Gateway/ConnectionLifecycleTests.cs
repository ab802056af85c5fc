using System.Net.WebSockets;
using System.Text;
using TopGun.Core.Protocol;
using TopGun.Server.Tests.Protocol;

namespace TopGun.Server.Tests.Gateway;

/// <summary>One node shared by the lifecycle tests: short auth timeout, 64 KiB frame limit.</summary>
public sealed class LifecycleNodeFixture : IAsyncLifetime
{
    public GatewayNode Node { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Node = await GatewayNode.StartAsync(
            """
            topgun.limits.auth-timeout = 3s
            topgun.limits.max-frame-bytes = 65536
            """);

    public async Task DisposeAsync() => await Node.DisposeAsync();
}

/// <summary>Authentication, heartbeat and input handling over real WebSockets (protocol.md §1, §3).</summary>
public sealed class ConnectionLifecycleTests(LifecycleNodeFixture fixture) : IClassFixture<LifecycleNodeFixture>
{
    private Uri Address => fixture.Node.Address;

    [Fact]
    public async Task A_valid_token_is_acknowledged_after_auth_required()
    {
        await using var client = await ProtocolClient.ConnectAsync(Address);

        await client.ExpectAsync<AuthRequiredMessage>();
        await client.SendAsync(new AuthMessage(TestTokens.Valid()));
        await client.ExpectAsync<AuthAckMessage>();
    }

    [Fact]
    public async Task Auth_sent_before_auth_required_arrives_is_still_accepted()
    {
        await using var client = await ProtocolClient.ConnectAsync(Address);
        await client.SendAsync(new AuthMessage(TestTokens.Valid()));

        await client.ExpectAsync<AuthRequiredMessage>();
        await client.ExpectAsync<AuthAckMessage>();
    }

    [Fact]
    public async Task A_token_with_a_bad_signature_gets_auth_fail_and_close_4001()
    {
        await using var client = await ProtocolClient.ConnectAsync(Address);
        await client.ExpectAsync<AuthRequiredMessage>();

        await client.SendAsync(new AuthMessage(TestTokens.Valid(secret: "some-other-secret-that-is-long-enough")));

        var fail = await client.ExpectAsync<AuthFailMessage>();
        Assert.Equal("Invalid token signature", fail.Error);
        await client.ExpectCloseAsync();
        Assert.Equal((WebSocketCloseStatus)4001, client.CloseStatus);
    }

    [Fact]
    public async Task An_expired_token_gets_auth_fail_and_close_4001()
    {
        await using var client = await ProtocolClient.ConnectAsync(Address);
        await client.ExpectAsync<AuthRequiredMessage>();

        await client.SendAsync(new AuthMessage(TestTokens.Expired()));

        var fail = await client.ExpectAsync<AuthFailMessage>();
        Assert.Equal("Token expired", fail.Error);
        await client.ExpectCloseAsync();
        Assert.Equal((WebSocketCloseStatus)4001, client.CloseStatus);
    }

    [Fact]
    public async Task An_op_before_auth_closes_4001_auth_required()
    {
        await using var client = await ProtocolClient.ConnectAsync(Address);
        await client.ExpectAsync<AuthRequiredMessage>();

        await client.SendAsync(new SyncInitMessage("todos"));

        await client.ExpectCloseAsync();
        Assert.Equal((WebSocketCloseStatus)4001, client.CloseStatus);
        Assert.Equal("Auth required", client.CloseDescription);
    }

    [Fact]
    public async Task A_silent_unauthenticated_socket_is_closed_4001_after_the_auth_timeout()
    {
        await using var client = await ProtocolClient.ConnectAsync(Address);
        await client.ExpectAsync<AuthRequiredMessage>();

        await client.ExpectCloseAsync();

        Assert.Equal((WebSocketCloseStatus)4001, client.CloseStatus);
        Assert.Equal("Authentication timeout", client.CloseDescription);
    }

    [Fact]
    public async Task Ping_is_answered_with_the_echoed_timestamp_and_the_server_time_before_and_after_auth()
    {
        await using var client = await ProtocolClient.ConnectAsync(Address);
        await client.ExpectAsync<AuthRequiredMessage>();

        await client.SendAsync(new PingMessage(1234));
        var before = await client.ExpectAsync<PongMessage>();
        await client.SendAsync(new AuthMessage(TestTokens.Valid()));
        await client.ExpectAsync<AuthAckMessage>();
        await client.SendAsync(new PingMessage(1700000000123));
        var after = await client.ExpectAsync<PongMessage>();

        Assert.Equal(1234, before.Timestamp);
        Assert.Equal(1700000000123, after.Timestamp);
        Assert.True(after.ServerTime > 1_600_000_000_000);
    }

    [Fact]
    public async Task A_second_auth_after_success_is_ignored()
    {
        await using var client = await ProtocolClient.ConnectAndAuthenticateAsync(Address, TestTokens.Valid());

        await client.SendAsync(new AuthMessage("not even a token"));
        await client.SendAsync(new PingMessage(7));

        var pong = await client.ExpectAsync<PongMessage>();
        Assert.Equal(7, pong.Timestamp);
    }

    [Fact]
    public async Task Random_bytes_close_the_connection_1002()
    {
        await using var client = await ProtocolClient.ConnectAndAuthenticateAsync(Address, TestTokens.Valid());

        await client.SendRawAsync([0xC1, 0xFF, 0x00, 0x13, 0x37, 0xC1]);

        await client.ExpectCloseAsync();
        Assert.Equal(WebSocketCloseStatus.ProtocolError, client.CloseStatus);
    }

    [Fact]
    public async Task Wrong_field_types_get_error_400_and_the_connection_keeps_working()
    {
        await using var client = await ProtocolClient.ConnectAndAuthenticateAsync(Address, TestTokens.Valid());

        await client.SendRawAsync(Encoding.UTF8.GetBytes("""{"type":"SYNC_INIT","mapName":42}"""), WebSocketMessageType.Text);

        var error = await client.ExpectAsync<ErrorMessage>();
        Assert.Equal(400, error.Code);
        Assert.Equal("Invalid message format", error.Message);
        Assert.Contains("mapName", error.Details!.ToString(), StringComparison.Ordinal);

        await client.SendAsync(new PingMessage(1));
        await client.ExpectAsync<PongMessage>();
    }

    [Fact]
    public async Task An_unknown_type_gets_error_400_and_the_connection_stays_open()
    {
        await using var client = await ProtocolClient.ConnectAndAuthenticateAsync(Address, TestTokens.Valid());

        await client.SendRawAsync(Encoding.UTF8.GetBytes("""{"type":"MAKE_COFFEE","payload":{}}"""), WebSocketMessageType.Text);

        var error = await client.ExpectAsync<ErrorMessage>();
        Assert.Equal(400, error.Code);
        Assert.Contains("MAKE_COFFEE", error.Details!.ToString(), StringComparison.Ordinal);
        await client.SendAsync(new PingMessage(2));
        await client.ExpectAsync<PongMessage>();
    }

    [Theory]
    [InlineData(MessageTypes.SearchUnsub)]
    [InlineData(MessageTypes.LockRequest)]
    [InlineData(MessageTypes.CounterRequest)]
    public async Task An_unsupported_feature_gets_error_501_naming_the_type(string type)
    {
        await using var client = await ProtocolClient.ConnectAndAuthenticateAsync(Address, TestTokens.Valid());
        Message message = type switch
        {
            MessageTypes.SearchUnsub => new SearchUnsubMessage("s1"),
            MessageTypes.LockRequest => new LockRequestMessage("r1", "lock-a"),
            _ => new CounterRequestMessage("likes"),
        };

        await client.SendAsync(message);

        var error = await client.ExpectAsync<ErrorMessage>();
        Assert.Equal(501, error.Code);
        Assert.Equal("Not implemented: " + type, error.Message);
    }

    [Fact]
    public async Task A_frame_over_the_limit_closes_1009()
    {
        await using var client = await ProtocolClient.ConnectAndAuthenticateAsync(Address, TestTokens.Valid());

        await client.SendRawAsync(new byte[65537]);

        await client.ExpectCloseAsync();
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, client.CloseStatus);
    }

    [Fact]
    public async Task Replies_queued_together_arrive_coalesced_in_batch_frames()
    {
        await using var client = await ProtocolClient.ConnectAndAuthenticateAsync(Address, TestTokens.Valid());
        var ancient = DateTimeOffset.UtcNow.AddDays(-365).ToUnixTimeMilliseconds();
        var inits = Enumerable.Range(0, 20).Select(i => (Message)new SyncInitMessage("map-" + i, ancient)).ToArray();

        // One client BATCH frame: the connection handles all twenty in one go, so the replies queue up together.
        using var batch = new BatchFrameWriter();
        foreach (var init in inits) batch.Add(init);
        await client.SendRawAsync(batch.ToFrame());

        for (var i = 0; i < 20; i++)
        {
            var reset = await client.ExpectAsync<SyncResetRequiredMessage>();
            Assert.Equal("map-" + i, reset.MapName);
        }
        Assert.True(client.BatchFrames >= 1);
    }

    [Fact]
    public async Task Sync_init_older_than_the_tombstone_horizon_requires_a_reset()
    {
        await using var client = await ProtocolClient.ConnectAndAuthenticateAsync(Address, TestTokens.Valid());

        await client.SendAsync(new SyncInitMessage("todos", DateTimeOffset.UtcNow.AddDays(-31).ToUnixTimeMilliseconds()));

        var reset = await client.ExpectAsync<SyncResetRequiredMessage>();
        Assert.Equal("todos", reset.MapName);
    }

    [Fact]
    public async Task Or_map_sync_init_older_than_the_tombstone_horizon_requires_a_reset()
    {
        await using var client = await ProtocolClient.ConnectAndAuthenticateAsync(Address, TestTokens.Valid());

        await client.SendAsync(new OrMapSyncInitMessage("tags", 0, WireMap<uint>.Empty, DateTimeOffset.UtcNow.AddDays(-31).ToUnixTimeMilliseconds()));

        var reset = await client.ExpectAsync<SyncResetRequiredMessage>();
        Assert.Equal("tags", reset.MapName);
    }

    [Fact]
    public async Task Or_map_sync_init_within_the_tombstone_horizon_gets_the_root()
    {
        await using var client = await ProtocolClient.ConnectAndAuthenticateAsync(Address, TestTokens.Valid());

        await client.SendAsync(new OrMapSyncInitMessage("tags-recent", 0, WireMap<uint>.Empty, DateTimeOffset.UtcNow.AddDays(-29).ToUnixTimeMilliseconds()));

        var root = await client.ExpectAsync<OrMapSyncRespRootMessage>();
        Assert.Equal("tags-recent", root.MapName);
    }
}
