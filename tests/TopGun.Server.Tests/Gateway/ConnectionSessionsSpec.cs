using Akka.Actor;
using Akka.TestKit;
using TopGun.Core.Clock;
using TopGun.Core.Protocol;
using TopGun.Server.Clients;
using TopGun.Server.Configuration;
using TopGun.Server.Gateway;
using TopGun.Server.Security;
using TopGun.Server.Tests.Support;

namespace TopGun.Server.Tests.Gateway;

/// <summary>How a connection reaches its features: only through the routes of the features it was given at creation.</summary>
public sealed class ConnectionSessionsSpec : Akka.TestKit.Xunit2.TestKit, IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly TokenValidator _tokens = new(new JwtSettings(TestTokens.Secret, TimeSpan.FromSeconds(5)));
    private readonly TestProbe _client;
    private readonly TestProbe _feature;
    private readonly IActorRef _connection;

    public ConnectionSessionsSpec() : base("akka.loglevel = WARNING")
    {
        _client = CreateTestProbe();
        _feature = CreateTestProbe();
        var settings = NodeConfigurationLoader.Load(TestNode.Environment(_dir.Path, ("TOPGUN_NODE_ID", "server-node"))).Settings;
        var unused = CreateTestProbe().Ref;
        var deps = new ConnectionDependencies(settings, GatewaySettings.Default, _tokens, new Hlc("server-node"), unused, unused, unused,
            Features: [new RecordingFeature(_feature.Ref)]);
        _connection = Sys.ActorOf(ConnectionActor.Props("client-1", new ProbeChannel(_client.Ref), deps));
        _client.ExpectMsg<AuthRequiredMessage>();
        _connection.Tell(new ConnectionCommands.InboundFrame(new AuthMessage(TestTokens.Valid())));
        _client.ExpectMsg<AuthAckMessage>();
    }

    [Fact]
    public void Frames_and_node_messages_of_a_feature_reach_the_route_the_connection_was_given_and_closing_closes_it()
    {
        _connection.Tell(new ConnectionCommands.InboundFrame(new TopicSubMessage("public/chat")));
        Assert.Equal(new TopicSubMessage("public/chat"), _feature.ExpectMsg<TopicSubMessage>());
        // The given route replaced the node's own topics: nothing else answered the frame.
        _client.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        _connection.Tell(new NodeNote("for the feature"));
        Assert.Equal(new NodeNote("for the feature"), _feature.ExpectMsg<NodeNote>());

        _connection.Tell(ConnectionCommands.ShutdownRequested.Instance);
        _feature.ExpectMsg<RouteClosed>();
        _client.FishForMessage(m => m is ProbeChannel.Closed);
    }

    private sealed record NodeNote(string Text);

    private sealed record RouteClosed;

    /// <summary>A feature that takes TOPIC_SUB frames and <see cref="NodeNote"/>s and reports all it sees to a probe.</summary>
    private sealed record RecordingFeature(IActorRef Probe) : IConnectionFeature
    {
        public ISessionRoute Open(IConnectionScope connection) => new Route(Probe);

        private sealed class Route(IActorRef probe) : ISessionRoute
        {
            public bool TryRoute(Message message)
            {
                if (message is not TopicSubMessage) return false;
                probe.Tell(message);
                return true;
            }

            public bool TryDeliver(object message)
            {
                if (message is not NodeNote) return false;
                probe.Tell(message);
                return true;
            }

            public void Close() => probe.Tell(new RouteClosed());
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        _tokens.Dispose();
        _dir.Dispose();
    }
}
