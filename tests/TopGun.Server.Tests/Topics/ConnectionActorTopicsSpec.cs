using Akka.Actor;
using Akka.TestKit;
using TopGun.Core.Clock;
using TopGun.Core.Protocol;
using TopGun.Core.Values;
using TopGun.Server.Configuration;
using TopGun.Server.Gateway;
using TopGun.Server.Security;
using TopGun.Server.Tests.Gateway;
using TopGun.Server.Tests.Support;
using TopGun.Server.Topics;

namespace TopGun.Server.Tests.Topics;

/// <summary>Topic handling of one connection, with a TestKit probe standing in for the node's topic router.</summary>
public sealed class ConnectionActorTopicsSpec : Akka.TestKit.Xunit2.TestKit, IDisposable
{
    private const string ClientId = "client-1";
    private readonly TempDirectory _dir = new();
    private readonly TestProbe _client;
    private readonly TestProbe _router;
    private readonly TokenValidator _tokens = new(new JwtSettings(TestTokens.Secret, TimeSpan.FromSeconds(5)));
    private readonly ConnectionDependencies _deps;
    private IActorRef _connection = ActorRefs.Nobody;

    public ConnectionActorTopicsSpec() : base("akka.loglevel = WARNING")
    {
        _client = CreateTestProbe();
        _router = CreateTestProbe();
        var settings = NodeConfigurationLoader.Load(TestNode.Environment(_dir.Path, ("TOPGUN_NODE_ID", "server-node"))).Settings;
        _deps = new ConnectionDependencies(settings, GatewaySettings.Default, _tokens, new Hlc("server-node"),
            CreateTestProbe().Ref, CreateTestProbe().Ref, CreateTestProbe().Ref,
            new AccessControl([
                new AccessPolicy("USER", "topic:public*", AccessAction.All),
                new AccessPolicy("USER", "topic:news", AccessAction.Read, ["title"]),
            ]));
        TopicRouting.Get(Sys).Set(_router.Ref, TopicSettings.Default.WithMaxSubscriptionsPerClient(3).WithPublishRate(100, 5));
    }

    [Fact]
    public void A_subscription_registers_the_connection_with_the_router_once()
    {
        Start();

        Client(new TopicSubMessage("public/chat"));
        Client(new TopicSubMessage("public/chat"));

        Assert.Equal(new TopicCommands.Subscribe("public/chat"), _router.ExpectMsg<TopicCommands.Subscribe>());
        Assert.Equal(_connection, _router.LastSender);
        _router.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        _client.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public void A_publish_carries_the_connection_as_publisher_and_the_server_time()
    {
        Start();
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        Client(new TopicPubMessage("public/chat", Value.Map(("text", Value.Of("hi")))));

        var published = _router.ExpectMsg<TopicCommands.Publish>().Message;
        Assert.Equal("public/chat", published.Topic);
        Assert.Equal(Value.Map(("text", Value.Of("hi"))), published.Data);
        Assert.Equal(ClientId, published.PublisherId);
        Assert.InRange(published.Timestamp, before, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    }

    [Fact]
    public void A_delivered_message_reaches_the_client_but_never_the_connection_that_published_it()
    {
        Start();
        Client(new TopicSubMessage("public/chat"));
        _router.ExpectMsg<TopicCommands.Subscribe>();

        _connection.Tell(new TopicPublished("public/chat", Value.Of("own"), ClientId, 1_700_000_000_000));
        _connection.Tell(new TopicPublished("public/chat", Value.Of("other"), "client-2", 1_700_000_000_001));

        var message = _client.ExpectMsg<TopicMessageMessage>();
        Assert.Equal(new TopicMessageMessage("public/chat", Value.Of("other"), 1_700_000_000_001, "client-2"), message);
        _client.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void After_unsubscribing_a_message_still_in_flight_is_dropped()
    {
        Start();
        Client(new TopicSubMessage("public/chat"));
        _router.ExpectMsg<TopicCommands.Subscribe>();

        Client(new TopicUnsubMessage("public/chat"));
        Assert.Equal(new TopicCommands.Unsubscribe("public/chat"), _router.ExpectMsg<TopicCommands.Unsubscribe>());
        _connection.Tell(new TopicPublished("public/chat", Value.Of("late"), "client-2", 1));

        _client.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("café")]
    [InlineData("semi;colon")]
    public void An_invalid_topic_name_gets_error_400_and_reaches_no_router(string topic)
    {
        Start();

        Client(new TopicSubMessage(topic));
        Client(new TopicPubMessage(topic, Value.Of(1)));
        Client(new TopicUnsubMessage(topic));

        for (var i = 0; i < 3; i++)
        {
            var error = _client.ExpectMsg<ErrorMessage>();
            Assert.Equal(400, error.Code);
            Assert.Contains("topic", error.Details!.ToString(), StringComparison.Ordinal);
        }
        _router.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_topic_name_longer_than_256_characters_gets_error_400()
    {
        Start();

        Client(new TopicSubMessage("public/" + new string('x', 250)));

        var error = _client.ExpectMsg<ErrorMessage>();
        Assert.Equal(400, error.Code);
        Assert.Contains("256", error.Details!.ToString(), StringComparison.Ordinal);
        _router.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Subscriptions_beyond_the_configured_limit_get_error_429_and_the_connection_stays()
    {
        Start();
        foreach (var topic in new[] { "public/a", "public/b", "public/c" })
        {
            Client(new TopicSubMessage(topic));
            _router.ExpectMsg<TopicCommands.Subscribe>();
        }

        Client(new TopicSubMessage("public/d"));

        var error = _client.ExpectMsg<ErrorMessage>();
        Assert.Equal(429, error.Code);
        Assert.Contains("max-subscriptions-per-client", error.Message, StringComparison.Ordinal);
        _router.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        // Freeing a slot lets the next subscription through.
        Client(new TopicUnsubMessage("public/a"));
        _router.ExpectMsg<TopicCommands.Unsubscribe>();
        Client(new TopicSubMessage("public/d"));
        Assert.Equal("public/d", _router.ExpectMsg<TopicCommands.Subscribe>().Topic);
    }

    [Fact]
    public void Publishes_beyond_the_burst_get_error_429()
    {
        Start();

        for (var i = 0; i < 6; i++) Client(new TopicPubMessage("public/chat", Value.Of(i)));

        for (var i = 0; i < 5; i++) Assert.Equal(Value.Of(i), _router.ExpectMsg<TopicCommands.Publish>().Message.Data);
        Assert.Equal(429, _client.ExpectMsg<ErrorMessage>().Code);
    }

    [Fact]
    public void Subscribing_needs_read_and_publishing_needs_put_on_the_topic_resource()
    {
        Start();

        Client(new TopicSubMessage("private"));
        Client(new TopicPubMessage("news", Value.Of("fake")));
        Client(new TopicSubMessage("news"));

        var denied = _client.ExpectMsg<ErrorMessage>();
        Assert.Equal(403, denied.Code);
        Assert.Equal(Value.Of("TOPIC_SUB on topic 'private'"), denied.Details);
        denied = _client.ExpectMsg<ErrorMessage>();
        Assert.Equal(403, denied.Code);
        Assert.Equal(Value.Of("TOPIC_PUB on topic 'news'"), denied.Details);
        Assert.Equal("news", _router.ExpectMsg<TopicCommands.Subscribe>().Topic);
        _router.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Fields_the_read_grant_hides_are_stripped_from_delivered_data()
    {
        Start();
        Client(new TopicSubMessage("news"));
        _router.ExpectMsg<TopicCommands.Subscribe>();

        _connection.Tell(new TopicPublished("news", Value.Map(("title", Value.Of("t")), ("secret", Value.Of("s"))), "admin-client", 5));

        Assert.Equal(Value.Map(("title", Value.Of("t"))), _client.ExpectMsg<TopicMessageMessage>().Data);
    }

    [Fact]
    public void Topic_messages_before_authentication_close_the_connection()
    {
        _connection = Sys.ActorOf(ConnectionActor.Props(ClientId, new ProbeChannel(_client.Ref), _deps));
        _client.ExpectMsg<AuthRequiredMessage>();

        Client(new TopicSubMessage("public/chat"));

        _client.ExpectMsg<ProbeChannel.Closed>();
        _router.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    private void Start()
    {
        _connection = Sys.ActorOf(ConnectionActor.Props(ClientId, new ProbeChannel(_client.Ref), _deps));
        _client.ExpectMsg<AuthRequiredMessage>();
        Client(new AuthMessage(TestTokens.Valid()));
        _client.ExpectMsg<AuthAckMessage>();
    }

    private void Client(Message message) => _connection.Tell(new ConnectionCommands.InboundFrame(message));

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        _tokens.Dispose();
        _dir.Dispose();
    }
}
