using System.Net.WebSockets;
using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Protocol;
using TopGun.Core.Values;
using TopGun.Server.Gateway;
using TopGun.Server.Tests.Protocol;

namespace TopGun.Server.Tests.Gateway;

/// <summary>A node with tiny per-client limits: 10 ops per batch, 10 ops of burst at 1 op/s, 3 live queries.</summary>
public sealed class TightLimitsNodeFixture : IAsyncLifetime
{
    public GatewayNode Node { get; private set; } = null!;

    public async Task InitializeAsync() => Node = await GatewayNode.StartAsync("""
        topgun.limits { max-batch-ops = 10, op-rate = 1, op-rate-burst = 10, max-queries-per-client = 3 }
        """);

    public async Task DisposeAsync() => await Node.DisposeAsync();
}

/// <summary>Per-client limits answer with clear errors and keep the connection open.</summary>
public sealed class ClientLimitTests(TightLimitsNodeFixture fixture) : IClassFixture<TightLimitsNodeFixture>
{
    private readonly Hlc _clock = new("client-limits");

    [Fact]
    public async Task A_batch_over_max_batch_ops_gets_error_400_naming_the_limit_and_the_connection_stays()
    {
        await using var client = await Connect();

        await client.SendAsync(new OpBatchMessage(Ops("big", 11)));

        var error = await client.ExpectAsync<ErrorMessage>();
        Assert.Equal(400, error.Code);
        Assert.Contains("max-batch-ops", error.Message, StringComparison.Ordinal);
        await AssertStillOpen(client);
    }

    [Fact]
    public async Task Writing_faster_than_the_op_rate_gets_error_429_and_the_connection_stays()
    {
        await using var client = await Connect();
        await client.SendAsync(new OpBatchMessage(Ops("rate", 10)));
        await client.ExpectEventuallyAsync<OpAckMessage>();

        await client.SendAsync(new OpBatchMessage(Ops("rate", 10)));

        var error = await client.ExpectEventuallyAsync<ErrorMessage>();
        Assert.Equal(429, error.Code);
        Assert.Contains("Rate limit exceeded", error.Message, StringComparison.Ordinal);
        await AssertStillOpen(client);
    }

    [Fact]
    public async Task A_live_query_beyond_the_per_client_limit_gets_error_429_until_one_is_released()
    {
        await using var client = await Connect();
        for (var i = 0; i < 3; i++)
        {
            await client.SendAsync(new QuerySubMessage("q" + i, "limits-q", Value.Map()));
            await client.ExpectEventuallyAsync<QueryRespMessage>();
        }

        await client.SendAsync(new QuerySubMessage("q3", "limits-q", Value.Map()));
        var error = await client.ExpectEventuallyAsync<ErrorMessage>();
        Assert.Equal(429, error.Code);
        Assert.Contains("at most 3", error.Message, StringComparison.Ordinal);

        // Re-subscribing an existing id replaces it, and a released slot can be used again.
        await client.SendAsync(new QuerySubMessage("q0", "limits-q", Value.Map(("limit", Value.Of(1)))));
        await client.ExpectEventuallyAsync<QueryRespMessage>(r => r.QueryId == "q0");
        await client.SendAsync(new QueryUnsubMessage("q1"));
        await client.SendAsync(new QuerySubMessage("q3", "limits-q", Value.Map()));
        await client.ExpectEventuallyAsync<QueryRespMessage>(r => r.QueryId == "q3");
    }

    [Fact]
    public async Task Keys_and_map_names_over_their_length_limits_are_rejected_with_the_limit_named()
    {
        await using var client = await Connect();
        var longKey = new string('k', 1025);
        var longMap = new string('m', 257);

        await client.SendAsync(new ClientOpMessage(new ClientOp("lengths", longKey, Id: "long-key", Record: new LwwRecord(Value.Of(1), _clock.Now()))));
        var keyRejected = await client.ExpectEventuallyAsync<OpRejectedMessage>();
        Assert.Equal(("long-key", 400), (keyRejected.OpId, keyRejected.Code));
        Assert.Contains("longer than 1024", keyRejected.Reason, StringComparison.Ordinal);

        await client.SendAsync(new ClientOpMessage(new ClientOp(longMap, "k", Id: "long-map", Record: new LwwRecord(Value.Of(1), _clock.Now()))));
        var mapRejected = await client.ExpectEventuallyAsync<OpRejectedMessage>();
        Assert.Contains("longer than 256", mapRejected.Reason, StringComparison.Ordinal);

        await client.SendAsync(new QuerySubMessage("q", longMap, Value.Map()));
        var error = await client.ExpectEventuallyAsync<ErrorMessage>();
        Assert.Equal(400, error.Code);
        await AssertStillOpen(client);
    }

    private async Task<ProtocolClient> Connect() => await ProtocolClient.ConnectAndAuthenticateAsync(fixture.Node.Address, TestTokens.Valid());

    private ClientOp[] Ops(string map, int count) =>
        Enumerable.Range(0, count).Select(i => new ClientOp(map, "k" + i, Id: Guid.NewGuid().ToString(), Record: new LwwRecord(Value.Of(i), _clock.Now()))).ToArray();

    private static async Task AssertStillOpen(ProtocolClient client)
    {
        await client.SendAsync(new PingMessage(42));
        Assert.Equal(42, (await client.ExpectEventuallyAsync<PongMessage>()).Timestamp);
    }
}

/// <summary>Node-wide connection limits close the extra socket with 1013.</summary>
public sealed class ConnectionLimitTests
{
    [Fact]
    public async Task A_connection_beyond_max_connections_is_closed_1013_and_a_freed_slot_is_reusable()
    {
        await using var node = await GatewayNode.StartAsync("topgun.limits { max-connections = 2, max-new-connections-per-second = 0 }");
        await using var first = await ProtocolClient.ConnectAndAuthenticateAsync(node.Address, TestTokens.Valid());
        await using var second = await ProtocolClient.ConnectAndAuthenticateAsync(node.Address, TestTokens.Valid());

        await using var third = await ProtocolClient.ConnectAsync(node.Address);
        await third.ExpectCloseAsync();
        Assert.Equal(CloseCodes.Overloaded, third.CloseStatus);
        Assert.Equal("Too many connections", third.CloseDescription);

        await first.DisposeAsync();
        await AwaitAccepted(node);
    }

    [Fact]
    public async Task Connections_arriving_faster_than_the_connection_rate_are_closed_1013()
    {
        await using var node = await GatewayNode.StartAsync("topgun.limits.max-new-connections-per-second = 1");
        await using var first = await ProtocolClient.ConnectAndAuthenticateAsync(node.Address, TestTokens.Valid());

        await using var second = await ProtocolClient.ConnectAsync(node.Address);
        await second.ExpectCloseAsync();

        Assert.Equal(CloseCodes.Overloaded, second.CloseStatus);
        Assert.Equal("Too many new connections", second.CloseDescription);
    }

    private static async Task AwaitAccepted(GatewayNode node)
    {
        // The server frees the slot when it sees the close; until then a new socket may still be refused.
        for (var attempt = 0; ; attempt++)
        {
            await using var client = await ProtocolClient.ConnectAsync(node.Address);
            if (await client.NextAsync() is AuthRequiredMessage) return;
            Assert.True(attempt < 50, "A freed connection slot was never reusable");
            await Task.Delay(100);
        }
    }
}

/// <summary>A consumer that stops reading is dropped instead of growing the server's memory.</summary>
[Collection(SerialCollection.Name)]
public sealed class SlowConsumerTests
{
    private const int ValueChars = 128 * 1024;
    private const int Writes = 600;

    /// <summary>
    /// The queue is bounded by message count and by encoded bytes; either bound alone must drop the client, so each
    /// row lifts the other bound out of reach (the default 64 MiB byte bound would otherwise stand in for a missing
    /// count bound, and the test would pass without it).
    /// </summary>
    public static TheoryData<string> QueueLimits =>
    [
        "outbound-queue-limit = 64, outbound-queue-bytes = 1GiB",
        "outbound-queue-limit = 1000000, outbound-queue-bytes = 4MiB",
    ];

    [Theory]
    [MemberData(nameof(QueueLimits))]
    public async Task A_client_that_never_reads_while_its_map_is_flooded_is_closed_1013_and_memory_stays_bounded(string queueLimit)
    {
        await using var node = await GatewayNode.StartAsync($$"""
            topgun.limits { {{queueLimit}}, op-rate = 0 }
            topgun.gateway.close-timeout = 60s
            """);
        var clock = new Hlc("client-flood");
        await using var stuck = await ProtocolClient.AuthenticateAsync(
            await ProtocolClient.ConnectWithSmallReceiveBufferAsync(node.Address, 16 * 1024), TestTokens.Valid("stuck"));
        await stuck.SendAsync(new QuerySubMessage("all", "flooded", Value.Map()));
        await stuck.ExpectEventuallyAsync<QueryRespMessage>();
        await using var writer = await ProtocolClient.ConnectAndAuthenticateAsync(node.Address, TestTokens.Valid("writer"));
        var baseline = GC.GetTotalMemory(forceFullCollection: true);

        // 600 distinct values of 256 KiB in memory (128 KiB on the wire) over 8 keys: ~150 MiB of values reach the
        // stuck client's connection, while the map itself only ever holds 8 of them. The same flood without any
        // subscriber leaves ~45-50 MiB of node state here (journal, pools); an unbounded queue would add ~150 MiB.
        var payload = new string('x', ValueChars);
        for (var batch = 0; batch < Writes / 10; batch++)
        {
            var ops = Enumerable.Range(0, 10)
                .Select(i => new ClientOp("flooded", "k" + i % 8, Id: $"{batch}-{i}", Record: new LwwRecord(Value.Map(("blob", Value.Of(payload + batch))), clock.Now())))
                .ToArray();
            await writer.SendAsync(new OpBatchMessage(ops));
            await writer.ExpectEventuallyAsync<OpAckMessage>(a => a.LastId == ops[^1].Id);
        }
        var retained = GC.GetTotalMemory(forceFullCollection: true) - baseline;
        // Checked before waiting for the close: a queue without a bound never closes the client.
        Assert.True(retained < 100L * 1024 * 1024, $"The server retained {retained / (1024 * 1024)} MiB for a client that never reads");

        var received = await stuck.ExpectCloseAsync();
        Assert.Equal(CloseCodes.Overloaded, stuck.CloseStatus);
        Assert.True(received.Count < 2 * Writes, $"The stuck client received {received.Count} messages; it should have been dropped long before all of them");
        await writer.SendAsync(new PingMessage(1));
        await writer.ExpectEventuallyAsync<PongMessage>();
    }
}
