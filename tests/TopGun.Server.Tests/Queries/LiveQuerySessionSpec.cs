using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.TestKit;
using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Protocol;
using TopGun.Core.Queries;
using TopGun.Core.Values;
using TopGun.Server.Maps;
using TopGun.Server.Queries;
using TopGun.Server.Security;
using TopGun.Server.Tests.Gateway;

namespace TopGun.Server.Tests.Queries;

/// <summary>The live-query session with TestKit probes standing in for the client, the partitions and the change feed.</summary>
public sealed class LiveQuerySessionSpec : Akka.TestKit.Xunit2.TestKit
{
    private const string ClientId = "client-1";
    private const int Partitions = 16;
    private readonly TestProbe _client;
    private readonly TestProbe _partitions;
    private readonly TestProbe _feed;
    private readonly Hlc _clock = new("server-node");
    private readonly IActorRef _session;

    public LiveQuerySessionSpec() : base("akka.loglevel = WARNING")
    {
        _client = CreateTestProbe();
        _partitions = CreateTestProbe();
        _feed = CreateTestProbe();
        var deps = new LiveQueryDependencies(_clock, _partitions.Ref, _feed.Ref, Partitions, TimeSpan.FromSeconds(3), MaxQueriesPerClient: 2);
        _session = Sys.ActorOf(LiveQuerySession.Props(ClientId, new ProbeChannel(_client.Ref), deps));
    }

    [Fact]
    public void The_snapshot_is_scattered_only_after_the_feed_confirmed_the_subscription()
    {
        _session.Tell(Sub("q1"));
        var subscribe = _feed.ExpectMsg<Subscribe>();
        Assert.Equal(MapChanged.Topic("todos"), subscribe.Topic);
        _partitions.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        _feed.Reply(new SubscribeAck(subscribe));

        AnswerSnapshot();
        Assert.Equal("q1", _client.ExpectMsg<QueryRespMessage>().QueryId);
    }

    [Fact]
    public void A_change_that_arrives_while_the_snapshot_is_out_is_sent_after_the_snapshot()
    {
        _session.Tell(Sub("q1"));
        _feed.Reply(new SubscribeAck(_feed.ExpectMsg<Subscribe>()));
        var queries = Enumerable.Range(0, Partitions).Select(_ => _partitions.ExpectMsg<PartitionEnvelope>()).ToArray();

        _session.Tell(new MapChanged("todos", ClientId, [new MapChange("k1", new LwwRecord(Value.Of("late"), _clock.Now()), null, null)], _clock.Now()));
        _client.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        foreach (var envelope in queries)
            _partitions.Send(_session, new PartitionQueryResult(((QueryPartition)envelope.Command).CorrelationId, []));
        Assert.Empty(_client.ExpectMsg<QueryRespMessage>().Results.AsSpan().ToArray());
        var replayed = _client.ExpectMsg<QueryUpdateMessage>();
        Assert.Equal(("k1", "UPDATE", Value.Of("late")), (replayed.Key, replayed.UpdateType, replayed.Value));
    }

    [Fact]
    public void The_writer_hears_of_its_own_change_only_through_its_queries()
    {
        Open("q1");

        _session.Tell(new MapChanged("todos", ClientId, [new MapChange("k1", new LwwRecord(Value.Of("mine"), _clock.Now()), null, null)], _clock.Now()));

        Assert.Equal(("k1", "UPDATE"), Update(_client.ExpectMsg<QueryUpdateMessage>()));
        _client.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_snapshot_the_partitions_do_not_answer_in_time_ends_the_query_with_error_503()
    {
        var deps = new LiveQueryDependencies(_clock, _partitions.Ref, _feed.Ref, Partitions, TimeSpan.FromMilliseconds(300), 2);
        var session = Sys.ActorOf(LiveQuerySession.Props(ClientId, new ProbeChannel(_client.Ref), deps));
        session.Tell(Sub("q1"));
        _feed.Reply(new SubscribeAck(_feed.ExpectMsg<Subscribe>()));

        var error = _client.ExpectMsg<ErrorMessage>(TimeSpan.FromSeconds(5));

        Assert.Equal((503, "Query 'q1' on map 'todos' failed: timed out"), (error.Code, error.Message));
        _feed.ExpectMsg<Unsubscribe>();
    }

    [Fact]
    public void A_snapshot_a_partition_rejects_ends_the_query_with_error_400_naming_the_reason()
    {
        _session.Tell(Sub("q1"));
        _feed.Reply(new SubscribeAck(_feed.ExpectMsg<Subscribe>()));
        var first = _partitions.ExpectMsg<PartitionEnvelope>();

        _partitions.Reply(new PartitionCommandRejected(first.Command.CorrelationId, "no such thing"));

        var error = _client.ExpectMsg<ErrorMessage>();
        Assert.Equal((400, "Query 'q1' on map 'todos' failed: no such thing"), (error.Code, error.Message));
    }

    [Fact]
    public void A_query_beyond_the_per_client_limit_is_refused_with_429_and_a_replaced_one_is_not()
    {
        Open("q1");
        _session.Tell(Sub("q2"));
        AnswerSnapshot();
        _client.ExpectMsg<QueryRespMessage>();

        _session.Tell(Sub("q3"));
        var error = _client.ExpectMsg<ErrorMessage>();
        Assert.Equal((429, "Too many live queries: at most 2 per client", Value.Of("q3")), (error.Code, error.Message, error.Details));

        _session.Tell(Sub("q2"));
        AnswerSnapshot();
        Assert.Equal("q2", _client.ExpectMsg<QueryRespMessage>().QueryId);
    }

    [Fact]
    public void An_or_change_is_answered_from_the_records_it_carries_without_asking_any_partition()
    {
        Open("q1");
        var milk = new OrMapRecord(Value.Of("milk"), new Timestamp(1_700_000_000_010, 0, "c"), "t-milk");
        var eggs = new OrMapRecord(Value.Of("eggs"), new Timestamp(1_700_000_000_020, 0, "c"), "t-eggs");

        _session.Tell(new MapChanged("todos", "other-client", [new MapChange("k1", null, eggs, null, [eggs, milk])], _clock.Now()));

        var added = _client.ExpectMsg<ServerEventMessage>().Payload;
        Assert.Equal(("k1", "OR_ADD", eggs, (string?)null), (added.Key, added.EventType, added.OrRecord, added.OrTag));
        var update = _client.ExpectMsg<QueryUpdateMessage>();
        Assert.Equal(("k1", "UPDATE", Value.Array(Value.Of("milk"), Value.Of("eggs"))), (update.Key, update.UpdateType, update.Value));

        _session.Tell(new MapChanged("todos", "other-client", [new MapChange("k1", null, null, "t-eggs"), new MapChange("k1", null, null, "t-milk", [])], _clock.Now()));

        var removed = _client.ExpectMsg<ServerBatchEventMessage>().Events;
        Assert.Equal([("k1", "OR_REMOVE", "t-eggs"), ("k1", "OR_REMOVE", "t-milk")], removed.Select(e => (e.Key, e.EventType, e.OrTag!)));
        Assert.Equal(("k1", "REMOVE"), Update(_client.ExpectMsg<QueryUpdateMessage>()));
        _client.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        _partitions.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void An_or_change_from_a_node_of_an_older_build_without_the_records_is_read_back_from_the_key_s_partition()
    {
        Open("q1");
        var milk = new OrMapRecord(Value.Of("milk"), new Timestamp(1_700_000_000_010, 0, "c"), "t-milk");

        _session.Tell(new MapChanged("todos", ClientId, [new MapChange("k1", null, milk, null)], _clock.Now()));

        var envelope = _partitions.ExpectMsg<PartitionEnvelope>();
        var read = Assert.IsType<GetOrEntries>(envelope.Command);
        Assert.Equal(PartitionKey.Of("k1", Partitions), envelope.Partition);
        Assert.Equal(["k1"], read.Keys);
        _partitions.Reply(new OrEntriesResult(read.CorrelationId, [new OrEntry("k1", [milk], [])]));
        var update = _client.ExpectMsg<QueryUpdateMessage>();
        Assert.Equal(("k1", "UPDATE", Value.Array(Value.Of("milk"))), (update.Key, update.UpdateType, update.Value));
    }

    private static LiveQuerySession.Subscribe Sub(string queryId) => new(queryId, "todos", QuerySpec.All, FieldFilter.AllFields);

    private void Open(string queryId)
    {
        _session.Tell(Sub(queryId));
        _feed.Reply(new SubscribeAck(_feed.ExpectMsg<Subscribe>()));
        AnswerSnapshot();
        Assert.Equal(queryId, _client.ExpectMsg<QueryRespMessage>().QueryId);
    }

    private void AnswerSnapshot()
    {
        for (var i = 0; i < Partitions; i++)
        {
            var query = Assert.IsType<QueryPartition>(_partitions.ExpectMsg<PartitionEnvelope>().Command);
            _partitions.Reply(new PartitionQueryResult(query.CorrelationId, []));
        }
    }

    private static (string, string) Update(QueryUpdateMessage update) => (update.Key, update.UpdateType);
}
