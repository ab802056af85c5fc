using Akka.Actor;
using Akka.TestKit;
using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Protocol;
using TopGun.Server.Configuration;
using TopGun.Server.Counters;
using TopGun.Server.Gateway;
using TopGun.Server.Security;
using TopGun.Server.Tests.Support;

namespace TopGun.Server.Tests.Gateway;

/// <summary>COUNTER_REQUEST / COUNTER_SYNC on one connection, with a TestKit probe standing in for the "counter" region.</summary>
public sealed class CounterConnectionSpec : Akka.TestKit.Xunit2.TestKit
{
    private readonly TempDirectory _dir = new();
    private readonly TestProbe _region;
    private readonly ConnectionDependencies _deps;
    private readonly TokenValidator _tokens = new(new JwtSettings(TestTokens.Secret, TimeSpan.FromSeconds(5)));

    public CounterConnectionSpec() : base("akka.loglevel = WARNING")
    {
        _region = CreateTestProbe();
        CounterRegion.Get(Sys).Set(_region.Ref, CounterSettings.Default.WithRequestTimeout(TimeSpan.FromSeconds(1)));
        var settings = NodeConfigurationLoader.Load(TestNode.Environment(_dir.Path, ("TOPGUN_NODE_ID", "server-node"))).Settings;
        _deps = new ConnectionDependencies(settings, GatewaySettings.Default, _tokens,
            new Hlc("server-node"), CreateTestProbe().Ref, CreateTestProbe().Ref, CreateTestProbe().Ref);
    }

    private (IActorRef Connection, TestProbe Client) Connect(AccessControl? access = null)
    {
        var client = CreateTestProbe();
        var connection = Sys.ActorOf(ConnectionActor.Props("client-" + Guid.NewGuid().ToString("n")[..6], new ProbeChannel(client.Ref), _deps with { Access = access }));
        client.ExpectMsg<AuthRequiredMessage>();
        connection.Tell(new ConnectionCommands.InboundFrame(new AuthMessage(TestTokens.Valid())));
        client.ExpectMsg<AuthAckMessage>();
        return (connection, client);
    }

    private static void Send(IActorRef connection, Message message) => connection.Tell(new ConnectionCommands.InboundFrame(message));

    private static CounterStatePayload Payload(params (string Node, double Count)[] p) =>
        new(new WireMap<double>(p.Select(e => new KeyValuePair<string, double>(e.Node, e.Count)).ToArray()), WireMap<double>.Empty);

    private static PnCounterState State(string node, double p) => new([new(node, p)], []);

    [Fact]
    public void Bad_counter_input_gets_error_400_and_never_reaches_a_counter()
    {
        var (connection, client) = Connect();
        Message[] bad =
        [
            new CounterRequestMessage(""),
            new CounterRequestMessage(new string('x', 257)),
            new CounterSyncMessage("likes", Payload(("a", -1))),
            new CounterSyncMessage("likes", Payload(("a", 0.5))),
            new CounterSyncMessage("likes", Payload(("a", double.NaN))),
            new CounterSyncMessage("likes", Payload(("a:b", 1))),
            new CounterSyncMessage("likes", Payload(Enumerable.Range(0, 1001).Select(i => ("n" + i, 1.0)).ToArray())),
        ];

        foreach (var message in bad)
        {
            Send(connection, message);
            var error = client.ExpectMsg<ErrorMessage>();
            Assert.Equal(400, error.Code);
            Assert.Contains(message.Type, error.Details!.ToString(), StringComparison.Ordinal);
        }
        _region.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Send(connection, new PingMessage(1));
        client.ExpectMsg<PongMessage>();
    }

    [Fact]
    public void A_request_is_answered_with_counter_response_and_later_changes_arrive_as_counter_update()
    {
        var (connection, client) = Connect();
        var entity = CreateTestProbe();

        Send(connection, new CounterRequestMessage("likes"));
        var envelope = _region.ExpectMsg<CounterEnvelope>();
        Assert.Equal("likes", envelope.Name);
        var get = Assert.IsType<GetCounter>(envelope.Command);
        entity.Send(_region.LastSender, new CounterRead("likes", get.CorrelationId, State("a", 2)));

        var response = client.ExpectMsg<CounterResponseMessage>();
        Assert.Equal(("likes", 2.0), (response.Name, response.State.P.Entries[0].Value));

        entity.Send(_region.LastSender, new CounterChanged("likes", State("a", 5)));
        var update = client.ExpectMsg<CounterUpdateMessage>();
        Assert.Equal(5.0, update.State.P.Entries[0].Value);
    }

    [Fact]
    public void A_sync_carries_the_validated_state_and_its_answer_reaches_the_client_as_counter_update()
    {
        var (connection, client) = Connect();

        Send(connection, new CounterSyncMessage("likes", Payload(("a", 3))));
        var envelope = _region.ExpectMsg<CounterEnvelope>();
        var sync = Assert.IsType<SyncCounter>(envelope.Command);
        Assert.Equal(State("a", 3), sync.State);
        _region.Reply(new CounterSynced("likes", sync.CorrelationId, State("a", 3).Merge(State("b", 1))));

        var update = client.ExpectMsg<CounterUpdateMessage>();
        Assert.Equal(4, update.State.P.Entries.ToArray().Sum(e => e.Value));
    }

    [Fact]
    public void When_the_counter_entity_stops_the_connection_subscribes_again_and_reports_what_it_missed()
    {
        var (connection, client) = Connect();
        var entity = CreateTestProbe();
        Send(connection, new CounterRequestMessage("likes"));
        var get = Assert.IsType<GetCounter>(_region.ExpectMsg<CounterEnvelope>().Command);
        var subscriber = _region.LastSender;
        entity.Send(subscriber, new CounterRead("likes", get.CorrelationId, State("a", 1)));
        client.ExpectMsg<CounterResponseMessage>();

        Sys.Stop(entity.Ref);

        var again = _region.ExpectMsg<CounterEnvelope>();
        Assert.Equal("likes", again.Name);
        var moved = CreateTestProbe();
        moved.Send(subscriber, new CounterRead("likes", Assert.IsType<GetCounter>(again.Command).CorrelationId, State("a", 4)));
        Assert.Equal(4.0, client.ExpectMsg<CounterUpdateMessage>().State.P.Entries[0].Value);
    }

    [Fact]
    public void An_unanswered_counter_request_gets_error_503()
    {
        var (connection, client) = Connect();

        Send(connection, new CounterRequestMessage("likes"));
        _region.ExpectMsg<CounterEnvelope>();

        var error = client.ExpectMsg<ErrorMessage>(TimeSpan.FromSeconds(5));
        Assert.Equal(503, error.Code);
        Assert.Contains("likes", error.Details!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Reading_needs_read_and_syncing_needs_put_on_the_counter_resource()
    {
        var readOnly = new AccessControl([new AccessPolicy("USER", "counter:public-*", AccessAction.Read)]);
        var (connection, client) = Connect(readOnly);

        Send(connection, new CounterSyncMessage("public-likes", Payload(("a", 1))));
        var denied = client.ExpectMsg<ErrorMessage>();
        Assert.Equal(403, denied.Code);
        Assert.Contains("counter 'public-likes'", denied.Details!.ToString(), StringComparison.Ordinal);

        Send(connection, new CounterRequestMessage("private"));
        Assert.Equal(403, client.ExpectMsg<ErrorMessage>().Code);
        _region.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        Send(connection, new CounterRequestMessage("public-likes"));
        Assert.IsType<GetCounter>(_region.ExpectMsg<CounterEnvelope>().Command);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        _tokens.Dispose();
        _dir.Dispose();
    }
}
