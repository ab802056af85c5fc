using TopGun.Core.Protocol;
using TopGun.Core.Values;
using TopGun.Server.Tests.Gateway;
using TopGun.Server.Tests.Protocol;

namespace TopGun.Server.Tests.Topics;

/// <summary>A node whose users may use "room*" topics freely and only listen to "announce".</summary>
public sealed class TopicNodeFixture : IAsyncLifetime
{
    public const string Policies = """
        topgun.security.policies = [
          { role = "USER", map = "topic:room*", actions = ["ALL"] },
          { role = "USER", map = "topic:announce", actions = ["READ"] }
        ]
        """;

    public GatewayNode Node { get; private set; } = null!;

    public async Task InitializeAsync() => Node = await GatewayNode.StartAsync(Policies);

    public async Task DisposeAsync() => await Node.DisposeAsync();
}

/// <summary>Topics over real WebSockets on one node: fan-out, no echo, unsubscribe, limits and access control.</summary>
public sealed class TopicEndToEndTests(TopicNodeFixture fixture) : IClassFixture<TopicNodeFixture>
{
    [Fact]
    public async Task A_publish_reaches_every_other_subscriber_and_never_comes_back_to_its_publisher()
    {
        var room = Room();
        await using var alice = await Connect("alice");
        await using var bob = await Connect("bob");
        await using var carol = await Connect("carol");
        foreach (var client in new[] { alice, bob, carol }) await Subscribe(client, room);
        var data = Value.Map(("text", Value.Of("hello")), ("n", Value.Of(1)));
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        await alice.SendAsync(new TopicPubMessage(room, data));

        var atBob = await bob.ExpectAsync<TopicMessageMessage>();
        var atCarol = await carol.ExpectAsync<TopicMessageMessage>();
        Assert.Equal(atBob, atCarol);
        Assert.Equal(room, atBob.Topic);
        Assert.Equal(data, atBob.Data);
        Assert.False(string.IsNullOrEmpty(atBob.PublisherId));
        Assert.InRange(atBob.Timestamp, before, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

        // Bob answers only after alice's message went out to everyone, so an echo to alice would arrive first.
        await bob.SendAsync(new TopicPubMessage(room, Value.Of("reply")));
        var atAlice = await alice.ExpectAsync<TopicMessageMessage>();
        Assert.Equal(Value.Of("reply"), atAlice.Data);
        Assert.NotEqual(atBob.PublisherId, atAlice.PublisherId);
        Assert.Equal(Value.Of("reply"), (await carol.ExpectAsync<TopicMessageMessage>()).Data);
    }

    [Fact]
    public async Task An_unsubscribed_client_gets_no_more_messages_of_that_topic()
    {
        var (room, other) = (Room(), Room());
        await using var alice = await Connect("alice");
        await using var bob = await Connect("bob");
        await Subscribe(bob, room);
        await Subscribe(bob, other);

        await bob.SendAsync(new TopicUnsubMessage(room));
        await Roundtrip(bob);
        await alice.SendAsync(new TopicPubMessage(room, Value.Of("missed")));
        await alice.SendAsync(new TopicPubMessage(other, Value.Of("seen")));

        var next = await bob.ExpectAsync<TopicMessageMessage>();
        Assert.Equal((other, Value.Of("seen")), (next.Topic, next.Data));
    }

    [Fact]
    public async Task A_publisher_need_not_subscribe_and_a_topic_without_subscribers_swallows_the_message()
    {
        await using var alice = await Connect("alice");

        await alice.SendAsync(new TopicPubMessage(Room(), Value.Of("nobody listens")));

        await Roundtrip(alice);
    }

    [Fact]
    public async Task Bad_names_and_missing_permissions_get_clear_errors_and_the_connection_stays()
    {
        await using var alice = await Connect("alice");

        await alice.SendAsync(new TopicSubMessage("room with spaces"));
        var invalid = await alice.ExpectAsync<ErrorMessage>();
        Assert.Equal(400, invalid.Code);
        Assert.Contains("TOPIC_SUB payload.topic", invalid.Details!.ToString(), StringComparison.Ordinal);

        await alice.SendAsync(new TopicPubMessage("room-" + new string('x', 300), Value.Of(1)));
        Assert.Equal(400, (await alice.ExpectAsync<ErrorMessage>()).Code);

        await alice.SendAsync(new TopicSubMessage("secret"));
        var denied = await alice.ExpectAsync<ErrorMessage>();
        Assert.Equal((403, "Access Denied"), (denied.Code, denied.Message));

        await alice.SendAsync(new TopicPubMessage("announce", Value.Of("fake news")));
        Assert.Equal(403, (await alice.ExpectAsync<ErrorMessage>()).Code);

        await Subscribe(alice, "announce");
        await Roundtrip(alice);
    }

    [Fact]
    public async Task The_hundred_and_first_subscription_gets_error_429()
    {
        await using var alice = await Connect("alice");
        var prefix = Room();
        for (var i = 0; i < 100; i++) await alice.SendAsync(new TopicSubMessage($"{prefix}/{i}"));
        await Roundtrip(alice);

        await alice.SendAsync(new TopicSubMessage(prefix + "/100"));

        var error = await alice.ExpectAsync<ErrorMessage>();
        Assert.Equal(429, error.Code);
        await Roundtrip(alice);
    }

    [Fact]
    public async Task A_subscriber_that_disconnects_does_not_disturb_the_others()
    {
        var room = Room();
        await using var alice = await Connect("alice");
        await using var bob = await Connect("bob");
        await Subscribe(bob, room);
        await using (var gone = await Connect("gone"))
        {
            await Subscribe(gone, room);
        }

        await alice.SendAsync(new TopicPubMessage(room, Value.Of("still here?")));

        Assert.Equal(Value.Of("still here?"), (await bob.ExpectAsync<TopicMessageMessage>()).Data);
    }

    private static string Room() => "room-" + Guid.NewGuid().ToString("N")[..8];

    private Task<ProtocolClient> Connect(string user) =>
        ProtocolClient.ConnectAndAuthenticateAsync(fixture.Node.Address, TestTokens.Valid(user));

    /// <summary>Subscribes and waits until the connection has handled it (TOPIC_SUB has no acknowledgement).</summary>
    private static async Task Subscribe(ProtocolClient client, string topic)
    {
        await client.SendAsync(new TopicSubMessage(topic));
        await Roundtrip(client);
    }

    /// <summary>A PING answered by the next message proves every earlier frame was handled without a reply.</summary>
    private static async Task Roundtrip(ProtocolClient client)
    {
        await client.SendAsync(new PingMessage(7));
        Assert.Equal(7, (await client.ExpectAsync<PongMessage>()).Timestamp);
    }
}
