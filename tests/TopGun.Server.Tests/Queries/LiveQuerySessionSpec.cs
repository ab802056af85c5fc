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

    [Fact]
    public void An_or_change_the_page_already_holds_does_not_move_the_window_back_and_a_later_one_is_applied_from_its_records()
    {
        var (milk, eggs, jam) = (OrAt("milk", 10), OrAt("eggs", 20), OrAt("jam", 30));
        _session.Tell(Sub("q1"));
        _feed.Reply(new SubscribeAck(_feed.ExpectMsg<Subscribe>()));
        // The partition answered with two writes in flight (sequence numbers 6 and 7); their changes come after the page.
        AnswerPage(7, new QueryCandidate("k1", Value.Array(Value.Of("milk"), Value.Of("eggs")), eggs.Timestamp));
        Assert.Equal("k1", Assert.Single(_client.ExpectMsg<QueryRespMessage>().Results).Key);

        _session.Tell(new MapChanged("todos", "other-client", [new MapChange("k1", null, milk, null, [milk])], _clock.Now(), SequenceNr: 6));
        _session.Tell(new MapChanged("todos", "other-client", [new MapChange("k1", null, eggs, null, [milk, eggs])], _clock.Now(), SequenceNr: 7));

        // Other clients still hear of every change; the window does not.
        Assert.Equal(milk, _client.ExpectMsg<ServerEventMessage>().Payload.OrRecord);
        Assert.Equal(eggs, _client.ExpectMsg<ServerEventMessage>().Payload.OrRecord);
        _client.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        _session.Tell(new MapChanged("todos", "other-client", [new MapChange("k1", null, jam, null, [milk, eggs, jam])], _clock.Now(), SequenceNr: 8));

        Assert.Equal(jam, _client.ExpectMsg<ServerEventMessage>().Payload.OrRecord);
        var update = _client.ExpectMsg<QueryUpdateMessage>();
        Assert.Equal(("k1", "UPDATE", Value.Array(Value.Of("milk"), Value.Of("eggs"), Value.Of("jam"))), (update.Key, update.UpdateType, update.Value));
        _client.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        _partitions.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Or_changes_held_while_the_page_was_out_are_replayed_from_their_records_without_reading_the_key_back()
    {
        var (milk, eggs, jam) = (OrAt("milk", 10), OrAt("eggs", 20), OrAt("jam", 30));
        _session.Tell(Sub("q1"));
        _feed.Reply(new SubscribeAck(_feed.ExpectMsg<Subscribe>()));
        var queries = Enumerable.Range(0, Partitions).Select(_ => _partitions.ExpectMsg<PartitionEnvelope>()).ToArray();

        // Sequence number 5 is older than the page, 9 newer.
        _session.Tell(new MapChanged("todos", ClientId, [new MapChange("k1", null, milk, null, [milk])], _clock.Now(), SequenceNr: 5));
        _session.Tell(new MapChanged("todos", ClientId, [new MapChange("k1", null, jam, null, [milk, eggs, jam])], _clock.Now(), SequenceNr: 9));
        _client.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Answer(queries, 7, new QueryCandidate("k1", Value.Array(Value.Of("milk"), Value.Of("eggs")), eggs.Timestamp));

        Assert.Equal(Value.Array(Value.Of("milk"), Value.Of("eggs")), Assert.Single(_client.ExpectMsg<QueryRespMessage>().Results).Value);
        var update = _client.ExpectMsg<QueryUpdateMessage>();
        Assert.Equal(("k1", "UPDATE", Value.Array(Value.Of("milk"), Value.Of("eggs"), Value.Of("jam"))), (update.Key, update.UpdateType, update.Value));
        _client.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        _partitions.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void An_or_change_held_while_a_page_without_sequence_numbers_was_out_is_read_back_from_the_key_s_partition()
    {
        var (milk, eggs) = (OrAt("milk", 10), OrAt("eggs", 20));
        _session.Tell(Sub("q1"));
        _feed.Reply(new SubscribeAck(_feed.ExpectMsg<Subscribe>()));
        var queries = Enumerable.Range(0, Partitions).Select(_ => _partitions.ExpectMsg<PartitionEnvelope>()).ToArray();

        // The change's records may be older than the page of a node of an older build, which says nothing of its state.
        _session.Tell(new MapChanged("todos", ClientId, [new MapChange("k1", null, milk, null, [milk])], _clock.Now(), SequenceNr: 5));
        Answer(queries, null, new QueryCandidate("k1", Value.Array(Value.Of("milk"), Value.Of("eggs")), eggs.Timestamp));
        _client.ExpectMsg<QueryRespMessage>();

        var envelope = _partitions.ExpectMsg<PartitionEnvelope>();
        var read = Assert.IsType<GetOrEntries>(envelope.Command);
        Assert.Equal(PartitionKey.Of("k1", Partitions), envelope.Partition);
        Assert.Equal(["k1"], read.Keys);
        _partitions.Reply(new OrEntriesResult(read.CorrelationId, [new OrEntry("k1", [milk, eggs], [])]));
        // The key as the partition holds it now, never the change's older value.
        var update = _client.ExpectMsg<QueryUpdateMessage>();
        Assert.Equal(("k1", "UPDATE", Value.Array(Value.Of("milk"), Value.Of("eggs"))), (update.Key, update.UpdateType, update.Value));
        _client.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    private static OrMapRecord OrAt(string value, long millis) =>
        new(Value.Of(value), new Timestamp(1_700_000_000_000 + millis, 0, "c"), "t-" + value);

    /// <summary>Answers the snapshot: <paramref name="candidates"/> from the partition of their keys, every partition at <paramref name="sequenceNr"/>.</summary>
    private void AnswerPage(long? sequenceNr, params QueryCandidate[] candidates) =>
        Answer(Enumerable.Range(0, Partitions).Select(_ => _partitions.ExpectMsg<PartitionEnvelope>()).ToArray(), sequenceNr, candidates);

    private void Answer(IEnumerable<PartitionEnvelope> queries, long? sequenceNr, params QueryCandidate[] candidates)
    {
        foreach (var envelope in queries)
        {
            var query = Assert.IsType<QueryPartition>(envelope.Command);
            var own = candidates.Where(c => PartitionKey.Of(c.Key, Partitions) == envelope.Partition).ToArray();
            _partitions.Send(_session, new PartitionQueryResult(query.CorrelationId, own, sequenceNr));
        }
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
