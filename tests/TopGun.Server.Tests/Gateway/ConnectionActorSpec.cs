using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.TestKit;
using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Protocol;
using TopGun.Core.Values;
using TopGun.Server.Configuration;
using TopGun.Server.Gateway;
using TopGun.Server.Maps;
using TopGun.Server.Security;
using TopGun.Server.Tests.Support;

namespace TopGun.Server.Tests.Gateway;

/// <summary>Routing of one connection with TestKit probes standing in for the shard regions and the mediator.</summary>
public sealed class ConnectionActorSpec : Akka.TestKit.Xunit2.TestKit, IDisposable
{
    private const string ClientId = "client-1";
    private readonly TempDirectory _dir = new();
    private readonly TestProbe _client;
    private readonly TestProbe _partitions;
    private readonly TestProbe _mapTypes;
    private readonly TestProbe _mediator;
    private readonly TokenValidator _tokens = new(new JwtSettings(TestTokens.Secret, TimeSpan.FromSeconds(5)));
    private readonly IActorRef _connection;
    private readonly Hlc _clock = new("server-node");
    private readonly ConnectionDependencies _deps;

    public ConnectionActorSpec() : base("akka.loglevel = WARNING")
    {
        _client = CreateTestProbe();
        _partitions = CreateTestProbe();
        _mapTypes = CreateTestProbe();
        _mediator = CreateTestProbe();
        var settings = NodeConfigurationLoader.Load(TestNode.Environment(_dir.Path, ("TOPGUN_NODE_ID", "server-node"))).Settings;
        _deps = new ConnectionDependencies(settings, GatewaySettings.Default with { OpTimeout = TimeSpan.FromSeconds(3) },
            _tokens, _clock, _partitions.Ref, _mapTypes.Ref, _mediator.Ref);
        _connection = Sys.ActorOf(ConnectionActor.Props(ClientId, new ProbeChannel(_client.Ref), _deps));
        _client.ExpectMsg<AuthRequiredMessage>();
    }

    [Fact]
    public void An_unanswered_map_type_claim_is_sent_again_and_the_waiting_write_proceeds_once_answered()
    {
        Authenticate();
        var key = KeysInDistinctPartitions(1)[0];
        Client(new ClientOpMessage(new ClientOp("todos", key, Id: "1", Record: Put("v"))));

        // The first claim is lost (its registry's node died): the connection asks again instead of waiting forever.
        _mapTypes.ExpectMsg<ClaimMapType>();
        var retry = _mapTypes.ExpectMsg<ClaimMapType>(TimeSpan.FromSeconds(10));
        Assert.Equal(new ClaimMapType("todos", MapKind.Lww), retry);
        _mapTypes.Reply(new MapTypeClaimed("todos", MapKind.Lww));

        var apply = Assert.IsType<ApplyLwwOps>(_partitions.ExpectMsg<PartitionEnvelope>().Command);
        _partitions.Reply(new OpsApplied(apply.CorrelationId, [OpOutcome.Ok("1")], WriteConcern.Persisted));
        Assert.Equal("1", _client.ExpectMsg<OpAckMessage>().LastId);
    }

    [Fact]
    public void A_batch_is_split_per_partition_and_acked_once_every_partition_answered()
    {
        Authenticate();
        var keys = KeysInDistinctPartitions(3);
        var ops = keys.Select((k, i) => new ClientOp("todos", k, Id: (i + 1).ToString(), Record: Put("v" + i))).ToArray();

        Client(new OpBatchMessage(ops, WriteConcern.Persisted));

        var claim = _mapTypes.ExpectMsg<ClaimMapType>();
        Assert.Equal(new ClaimMapType("todos", MapKind.Lww), claim);
        _mapTypes.Reply(new MapTypeClaimed("todos", MapKind.Lww));
        var envelopes = Enumerable.Range(0, 3).Select(_ => _partitions.ExpectMsg<PartitionEnvelope>()).ToArray();
        Assert.Equal(keys.Select(k => PartitionKey.Of(k)).Order(), envelopes.Select(e => e.Partition).Order());
        foreach (var envelope in envelopes)
        {
            var apply = Assert.IsType<ApplyLwwOps>(envelope.Command);
            Assert.Equal(ClientId, apply.OriginId);
            Assert.Equal(WriteConcern.Persisted, apply.Concern);
            _client.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
            _partitions.Reply(new OpsApplied(apply.CorrelationId, apply.Ops.Select(o => OpOutcome.Ok(o.OpId)).ToArray(), WriteConcern.Persisted));
        }

        var ack = _client.ExpectMsg<OpAckMessage>();
        Assert.Equal("3", ack.LastId);
        Assert.Equal(WriteConcern.Persisted, ack.AchievedLevel);
        Assert.Equal(["1", "2", "3"], ack.Results!.AsSpan().ToArray().Select(r => r.OpId).Order());
        Assert.All(ack.Results!.AsSpan().ToArray(), r => Assert.True(r.Success));
    }

    [Fact]
    public void Ops_of_the_wrong_kind_are_rejected_and_the_rest_of_the_batch_is_applied()
    {
        Authenticate();
        Client(new OpBatchMessage(new[]
        {
            new ClientOp("todos", "a", Id: "1", Record: Put("x")),
            new ClientOp("todos", "b", Id: "2", OpType: "OR_ADD", OrRecord: new OrMapRecord(Value.Of("y"), Stamp(), Stamp().ToString())),
        }));

        _mapTypes.ExpectMsg<ClaimMapType>();
        _mapTypes.Reply(new MapTypeClaimed("todos", MapKind.Lww));
        var apply = Assert.IsType<ApplyLwwOps>(_partitions.ExpectMsg<PartitionEnvelope>().Command);
        _partitions.Reply(new OpsApplied(apply.CorrelationId, [OpOutcome.Ok("1")], WriteConcern.Memory));

        var ack = _client.ExpectMsg<OpAckMessage>();
        Assert.Equal("2", ack.LastId);
        var results = ack.Results!.AsSpan().ToArray();
        Assert.True(results.Single(r => r.OpId == "1").Success);
        var rejected = results.Single(r => r.OpId == "2");
        Assert.False(rejected.Success);
        Assert.Contains("LWW map", rejected.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_single_op_with_an_id_is_acked_and_an_invalid_one_rejected()
    {
        Authenticate();
        _mapTypes.SetAutoPilot(new DelegateAutoPilot((sender, message) =>
        {
            if (message is ClaimMapType claim) sender.Tell(new MapTypeClaimed(claim.MapName, claim.Kind));
            return AutoPilot.KeepRunning;
        }));

        Client(new ClientOpMessage(new ClientOp("todos", "", Id: "bad", Record: Put("x"))));
        var rejected = _client.ExpectMsg<OpRejectedMessage>();
        Assert.Equal("bad", rejected.OpId);
        Assert.Contains("key", rejected.Reason, StringComparison.Ordinal);

        Client(new ClientOpMessage(new ClientOp("todos", "k", Id: "good", OpType: "REMOVE")));
        var apply = Assert.IsType<ApplyLwwOps>(_partitions.ExpectMsg<PartitionEnvelope>().Command);
        Assert.True(apply.Ops[0].Record.IsTombstone);
        Assert.Equal("server-node", apply.Ops[0].Record.Timestamp.NodeId);
        _partitions.Reply(new OpsApplied(apply.CorrelationId, [OpOutcome.Ok("good")], WriteConcern.Memory));
        var ack = _client.ExpectMsg<OpAckMessage>();
        Assert.Equal("good", ack.LastId);
    }

    [Fact]
    public void Unacknowledged_ops_are_reported_as_failed_and_never_acked()
    {
        Authenticate();
        Client(new OpBatchMessage(new[] { new ClientOp("todos", "a", Id: "1", Record: Put("x")) }, Timeout: 300));
        _mapTypes.ExpectMsg<ClaimMapType>();
        _mapTypes.Reply(new MapTypeClaimed("todos", MapKind.Lww));
        _partitions.ExpectMsg<PartitionEnvelope>();

        var rejected = _client.ExpectMsg<OpRejectedMessage>(TimeSpan.FromSeconds(10));
        Assert.Equal("1", rejected.OpId);
        Assert.Contains("Timed out", rejected.Reason, StringComparison.Ordinal);
        _client.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Incoming_timestamps_advance_the_server_clock()
    {
        Authenticate();
        var future = new Timestamp(_clock.WallMillis() + 5_000, 7, "client-node");

        Client(new ClientOpMessage(new ClientOp("todos", "a", Record: new LwwRecord(Value.Of(1), future))));
        _mapTypes.ExpectMsg<ClaimMapType>();

        Assert.True(_clock.Now() > future);
    }

    [Fact]
    public void Root_buckets_are_the_non_empty_partition_roots()
    {
        Authenticate();
        Client(new MerkleReqBucketMessage("todos", ""));

        for (var i = 0; i < 16; i++)
        {
            var envelope = _partitions.ExpectMsg<PartitionEnvelope>();
            var get = Assert.IsType<GetPartitionRoot>(envelope.Command);
            var hash = envelope.Partition is "3" or "c" ? 100u + (uint)i : 0u;
            _partitions.Reply(new PartitionRoot(get.CorrelationId, envelope.Partition, hash, hash == 0 ? null : MapKind.Lww));
        }

        var buckets = _client.ExpectMsg<SyncRespBucketsMessage>();
        Assert.Equal("", buckets.Path);
        Assert.Equal(["3", "c"], buckets.Buckets.Entries.ToArray().Select(e => e.Key));
    }

    [Fact]
    public void The_root_buckets_after_a_sync_init_come_from_the_roots_it_gathered_without_asking_the_partitions_again()
    {
        Authenticate();
        Client(new SyncInitMessage("todos", 0));
        for (var i = 0; i < 16; i++)
        {
            var envelope = _partitions.ExpectMsg<PartitionEnvelope>();
            var get = Assert.IsType<GetPartitionRoot>(envelope.Command);
            var hash = envelope.Partition is "5" or "e" ? 7u : 0u;
            _partitions.Reply(new PartitionRoot(get.CorrelationId, envelope.Partition, hash, hash == 0 ? null : MapKind.Lww));
        }
        Assert.Equal(14u, _client.ExpectMsg<SyncRespRootMessage>().RootHash);

        Client(new MerkleReqBucketMessage("todos", ""));
        var buckets = _client.ExpectMsg<SyncRespBucketsMessage>();
        Assert.Equal(["5", "e"], buckets.Buckets.Entries.ToArray().Select(e => e.Key));
        _partitions.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        // Used once: the next root-level request gathers afresh.
        Client(new MerkleReqBucketMessage("todos", ""));
        Assert.IsType<GetPartitionRoot>(_partitions.ExpectMsg<PartitionEnvelope>().Command);
    }

    [Fact]
    public void Deeper_bucket_requests_go_to_the_one_partition_that_owns_the_path()
    {
        Authenticate();
        Client(new MerkleReqBucketMessage("todos", "a4f"));

        var envelope = _partitions.ExpectMsg<PartitionEnvelope>();
        Assert.Equal("a", envelope.Partition);
        var get = Assert.IsType<GetMerkleNode>(envelope.Command);
        Assert.Equal("a4f", get.Path);
        var record = new LwwRecord(Value.Of("v"), Stamp());
        _partitions.Reply(new LwwLeaf(get.CorrelationId, "a4f", [new KeyValuePair<string, LwwRecord>("k", record)]));

        var leaf = _client.ExpectMsg<SyncRespLeafMessage>();
        Assert.Equal(new SyncLeafRecord("k", record), Assert.Single(leaf.Records.AsSpan().ToArray()));
    }

    [Fact]
    public void Changes_reach_query_subscribers_as_server_events_but_never_echo_to_the_writer()
    {
        Authenticate();
        Client(new QuerySubMessage("q1", "todos", Value.Map()));
        var subscribe = _mediator.ExpectMsg<Subscribe>();
        Assert.Equal("map:todos", subscribe.Topic);
        _mediator.Reply(new SubscribeAck(subscribe));
        for (var i = 0; i < 16; i++)
        {
            var query = Assert.IsType<QueryPartition>(_partitions.ExpectMsg<PartitionEnvelope>().Command);
            _partitions.Reply(new PartitionQueryResult(query.CorrelationId, []));
        }
        Assert.Empty(_client.ExpectMsg<QueryRespMessage>().Results.AsSpan().ToArray());

        var record = new LwwRecord(Value.Map(("title", Value.Of("milk"))), Stamp());
        _connection.Tell(new MapChanged("todos", "someone-else", [new MapChange("k1", record, null, null)], Stamp()));
        var serverEvent = _client.ExpectMsg<ServerEventMessage>();
        Assert.Equal(new ServerEventPayload("todos", "k1", "UPDATED", record), serverEvent.Payload);
        var update = _client.ExpectMsg<QueryUpdateMessage>();
        Assert.Equal(("k1", "UPDATE"), (update.Key, update.UpdateType));

        _connection.Tell(new MapChanged("todos", ClientId, [new MapChange("k1", LwwRecord.Tombstone(Stamp()), null, null)], Stamp()));
        var removal = _client.ExpectMsg<QueryUpdateMessage>();
        Assert.Equal(("k1", "REMOVE"), (removal.Key, removal.UpdateType));
        Assert.True(removal.Value.IsNull);
    }

    [Fact]
    public void Shutdown_waits_for_in_flight_writes_then_closes_1001()
    {
        Authenticate();
        Client(new ClientOpMessage(new ClientOp("todos", "a", Id: "1", Record: Put("x"))));
        _mapTypes.ExpectMsg<ClaimMapType>();
        _mapTypes.Reply(new MapTypeClaimed("todos", MapKind.Lww));
        var apply = Assert.IsType<ApplyLwwOps>(_partitions.ExpectMsg<PartitionEnvelope>().Command);

        _connection.Tell(ConnectionCommands.ShutdownRequested.Instance);
        Assert.Equal(5000, _client.ExpectMsg<ShutdownPendingMessage>().RetryAfter);
        _client.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        _partitions.Reply(new OpsApplied(apply.CorrelationId, [OpOutcome.Ok("1")], WriteConcern.Memory));

        _client.ExpectMsg<OpAckMessage>();
        Assert.Equal(CloseCodes.Shutdown, _client.ExpectMsg<ProbeChannel.Closed>().Status);
    }

    [Fact]
    public void Under_the_strict_drift_policy_a_runaway_timestamp_is_rejected_naming_the_drift()
    {
        var strict = new Hlc("server-node", maxDriftMillis: 1_000, policy: DriftPolicy.Strict);
        var connection = StartConnection(_deps with { Clock = strict }, out var client);
        connection.Tell(new ConnectionCommands.InboundFrame(new AuthMessage(TestTokens.Valid())));
        client.ExpectMsg<AuthAckMessage>();
        var runaway = new Timestamp(strict.WallMillis() + 3_600_000, 0, "client-node");

        connection.Tell(new ConnectionCommands.InboundFrame(new ClientOpMessage(new ClientOp("todos", "a", Id: "1", Record: new LwwRecord(Value.Of(1), runaway)))));

        var rejected = client.ExpectMsg<OpRejectedMessage>();
        Assert.Equal("1", rejected.OpId);
        Assert.Contains("drift", rejected.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.True(strict.Now() < runaway);
    }

    [Fact]
    public void An_authenticated_client_is_told_the_tombstone_gc_horizon_every_gc_interval()
    {
        var connection = StartConnection(_deps with { Gateway = _deps.Gateway with { GcPruneInterval = TimeSpan.FromMilliseconds(200) } }, out var client);
        var age = (long)_deps.Settings.TombstoneGcAge.TotalMilliseconds;
        var before = _clock.WallMillis();
        connection.Tell(new ConnectionCommands.InboundFrame(new AuthMessage(TestTokens.Valid())));
        client.ExpectMsg<AuthAckMessage>();

        var first = client.ExpectMsg<GcPruneMessage>(TimeSpan.FromSeconds(10));
        var second = client.ExpectMsg<GcPruneMessage>(TimeSpan.FromSeconds(10));

        Assert.InRange(first.OlderThan.Millis, before - age, _clock.WallMillis() - age);
        Assert.Equal("server-node", first.OlderThan.NodeId);
        Assert.True(second.OlderThan >= first.OlderThan);
    }

    [Fact]
    public void An_authenticated_client_that_goes_silent_is_closed_4002()
    {
        var settings = _deps.Settings.WithLimits(_deps.Settings.Limits with { IdleTimeout = TimeSpan.FromMilliseconds(300) });
        var connection = StartConnection(_deps with { Settings = settings }, out var client);
        connection.Tell(new ConnectionCommands.InboundFrame(new AuthMessage(TestTokens.Valid())));
        client.ExpectMsg<AuthAckMessage>();

        var closed = client.ExpectMsg<ProbeChannel.Closed>(TimeSpan.FromSeconds(10));

        Assert.Equal(CloseCodes.HeartbeatTimeout, closed.Status);
    }

    [Fact]
    public void Every_inbound_frame_hands_its_credit_back_including_those_held_during_authentication()
    {
        var channel = new ProbeChannel(_client.Ref);
        var connection = Sys.ActorOf(ConnectionActor.Props("client-2", channel, _deps));
        _client.ExpectMsg<AuthRequiredMessage>();

        connection.Tell(new ConnectionCommands.InboundFrame(new AuthMessage(TestTokens.Valid())));
        connection.Tell(new ConnectionCommands.InboundFrame(new PingMessage(1)));
        connection.Tell(new ConnectionCommands.InboundFrame(new SyncInitMessage("m", 1)));
        connection.Tell(new ConnectionCommands.InboundRejected(new DecodeError(DecodeErrorKind.InvalidMessage, "SYNC_INIT", "mapName", "expected a string")));

        // Token validation completes asynchronously, so the rejection's ERROR may come before or after AUTH_ACK;
        // the SYNC_INIT held during authentication is answered only after it.
        var replies = Enumerable.Range(0, 4).Select(_ => _client.ExpectMsg<Message>()).ToList();
        Assert.Equal(
            ["AUTH_ACK", "ERROR", "PONG", "SYNC_RESET_REQUIRED"],
            replies.Select(m => m.Type).Order(StringComparer.Ordinal));
        Assert.True(replies.FindIndex(m => m is AuthAckMessage) < replies.FindIndex(m => m is SyncResetRequiredMessage));
        AwaitAssert(() => Assert.Equal(4, channel.Credits));
    }

    [Fact]
    public void Rejected_input_is_logged_at_most_five_times_per_client_per_window()
    {
        Authenticate();

        EventFilter.Warning(contains: "Rejected input from client").Expect(5, () =>
        {
            for (var i = 0; i < 20; i++) Client(new QuerySubMessage("", "todos", Value.Map()));
            for (var i = 0; i < 20; i++) Assert.Equal(400, _client.ExpectMsg<ErrorMessage>().Code);
        });
    }

    private void Authenticate()
    {
        Client(new AuthMessage(TestTokens.Valid()));
        _client.ExpectMsg<AuthAckMessage>();
    }

    private IActorRef StartConnection(ConnectionDependencies deps, out TestProbe client)
    {
        client = CreateTestProbe();
        var connection = Sys.ActorOf(ConnectionActor.Props("client-" + Guid.NewGuid().ToString("n")[..6], new ProbeChannel(client.Ref), deps));
        client.ExpectMsg<AuthRequiredMessage>();
        return connection;
    }

    private void Client(Message message) => _connection.Tell(new ConnectionCommands.InboundFrame(message));

    private Timestamp Stamp() => _clock.Now();

    private LwwRecord Put(string value) => new(Value.Of(value), Stamp());

    private static string[] KeysInDistinctPartitions(int count)
    {
        var seen = new Dictionary<string, string>();
        for (var i = 0; seen.Count < count; i++)
            seen.TryAdd(PartitionKey.Of("key-" + i), "key-" + i);
        return seen.Values.ToArray();
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        _tokens.Dispose();
        _dir.Dispose();
    }
}
