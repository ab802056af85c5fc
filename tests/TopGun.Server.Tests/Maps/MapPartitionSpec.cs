using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Protocol;
using TopGun.Core.Queries;
using TopGun.Core.Values;
using TopGun.Server.Configuration;
using TopGun.Server.Maps;
using TopGun.Server.Tests.Support;
using TopGun.Server.Node;

namespace TopGun.Server.Tests.Maps;

/// <summary>The partition actor's write path against a journal the test controls.</summary>
public sealed class MapPartitionSpec : TestKit
{
    private const string PartitionName = "5";
    private static readonly IReadOnlyList<string> Keys = PartitionKeys.In(PartitionName, 4);
    private readonly MapSettings _settings;

    public MapPartitionSpec() : base(ConfigurationFactory.ParseString(ControlledJournal.Config)
        .WithFallback(Server.Node.AkkaConfigBuilder.Build(TestNode.LocalPersistence(TestNode.Environment(Path.GetTempPath())))))
    {
        _settings = MapSettings.FromConfig(Sys.Settings.Config);
    }

    private IActorRef Partition(string map, MapSettings? settings = null, IActorRef? feed = null) =>
        Sys.ActorOf(MapPartition.Props(map, PartitionName, settings ?? _settings, NodeClock.Get(Sys).Hlc, feed));

    private static LwwOp Put(string opId, string key, string value, Timestamp ts) => new(opId, key, new LwwRecord(Value.Of(value), ts));

    private static Timestamp Ts(long millis) => new(millis, 0, "client");

    private static TaskCompletionSource Gate(string map)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ControlledJournal.Gates[PartitionKey.PersistenceId(map, PartitionName)] = gate;
        return gate;
    }

    // Also for the concerns below PERSISTED (MEMORY is the protocol's default): with `ack = persisted` acked means durable.
    [Theory]
    [InlineData(WriteConcern.Memory)]
    [InlineData(WriteConcern.Applied)]
    [InlineData(WriteConcern.Persisted)]
    public void Ops_are_acked_and_published_only_after_the_journal_write_completes(WriteConcern requested)
    {
        var gate = Gate("held");
        var feed = CreateTestProbe();
        var partition = Partition("held", feed: feed.Ref);

        partition.Tell(new ApplyLwwOps(1, [Put("a", Keys[0], "v", Ts(10))], requested, "writer"));
        // The partition keeps answering reads while the write is held, so the command was processed.
        var reader = CreateTestProbe();
        partition.Tell(new GetPartitionRoot(2), reader.Ref);
        Assert.Equal(MapKind.Lww, reader.ExpectMsg<PartitionRoot>().Kind);
        feed.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        gate.SetResult();
        var reply = ExpectMsg<OpsApplied>();
        Assert.Equal(1, reply.CorrelationId);
        Assert.Equal(WriteConcern.Persisted, reply.Achieved);
        var changed = (MapChanged)feed.ExpectMsg<Publish>().Message;
        Assert.Equal(Keys[0], Assert.Single(changed.Changes).Key);
    }

    [Fact]
    public void A_no_op_batch_is_answered_only_after_the_in_flight_write_of_the_same_record()
    {
        var gate = Gate("dup");
        var partition = Partition("dup");
        var op = Put("a", Keys[0], "v", Ts(10));

        partition.Tell(new ApplyLwwOps(1, [op], WriteConcern.Persisted, "first"));
        partition.Tell(new ApplyLwwOps(2, [op with { OpId = "b" }], WriteConcern.Persisted, "second"));
        var reader = CreateTestProbe();
        partition.Tell(new GetPartitionRoot(3), reader.Ref);
        reader.ExpectMsg<PartitionRoot>();
        gate.SetResult();

        Assert.Equal(1, ExpectMsg<OpsApplied>().CorrelationId);
        var duplicate = ExpectMsg<OpsApplied>();
        Assert.Equal(2, duplicate.CorrelationId);
        Assert.True(Assert.Single(duplicate.Outcomes).Success);
    }

    [Fact]
    public void With_memory_acks_low_concerns_are_answered_after_the_merge_and_persisted_ones_after_the_write()
    {
        var gate = Gate("fast");
        var partition = Partition("fast", _settings.WithAck(AckMode.Memory));

        partition.Tell(new ApplyLwwOps(1, [Put("a", Keys[0], "v", Ts(10))], WriteConcern.Applied, "w"));
        var early = ExpectMsg<OpsApplied>();
        Assert.Equal(WriteConcern.Applied, early.Achieved);

        partition.Tell(new ApplyLwwOps(2, [Put("b", Keys[1], "v", Ts(11))], WriteConcern.Persisted, "w"));
        partition.Tell(new ApplyLwwOps(3, [Put("c", Keys[2], "v", Ts(12))], WriteConcern.Memory, "w"));
        Assert.Equal(3, ExpectMsg<OpsApplied>().CorrelationId);

        gate.SetResult();
        var durable = ExpectMsg<OpsApplied>();
        Assert.Equal(2, durable.CorrelationId);
        Assert.Equal(WriteConcern.Persisted, durable.Achieved);
    }

    [Fact]
    public void A_failed_journal_write_stops_the_partition_without_acking_the_ops()
    {
        var feed = CreateTestProbe();
        var partition = Partition("doomed", feed: feed.Ref);
        Watch(partition);

        partition.Tell(new ApplyLwwOps(1, [Put("a", Keys[0], "v", Ts(10))], WriteConcern.Persisted, "w"));

        // The client hears at once that its op was not acknowledged, instead of waiting for its timeout.
        var refused = ExpectMsg<PartitionCommandRejected>();
        Assert.Equal(1, refused.CorrelationId);
        Assert.StartsWith("Storage unavailable: the journal write failed (The disk is gone.)", refused.Error, StringComparison.Ordinal);
        ExpectTerminated(partition);
        feed.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Every_write_waiting_for_a_failed_journal_write_is_refused_and_none_is_acked()
    {
        var partition = Partition("doomed-many");
        Watch(partition);

        // The later commands are merged while the first write is in flight, so all of them wait for the failing journal.
        for (var i = 1; i <= 3; i++)
            partition.Tell(new ApplyLwwOps(i, [Put("op" + i, Keys[i], "v", Ts(10 + i))], WriteConcern.Persisted, "w"));

        var answers = new List<object>();
        FishForMessage(m =>
        {
            answers.Add(m);
            return m is Terminated;
        }, TimeSpan.FromSeconds(5));
        Assert.DoesNotContain(answers, a => a is OpsApplied);
        Assert.Equal([1L, 2L, 3L], answers.OfType<PartitionCommandRejected>().Select(r => r.CorrelationId).Order());
    }

    [Fact]
    public void A_recovery_that_fails_refuses_the_commands_that_waited_for_it_and_the_next_start_recovers()
    {
        ControlledJournal.Unreadable = true;
        try
        {
            var partition = Partition("unreadable");
            Watch(partition);
            partition.Tell(new ApplyLwwOps(1, [Put("a", Keys[0], "v", Ts(10))], WriteConcern.Persisted, "w"));
            partition.Tell(new GetPartitionRoot(2));

            var first = ExpectMsg<PartitionCommandRejected>();
            var second = ExpectMsg<PartitionCommandRejected>();
            Assert.Equal([1L, 2L], new[] { first.CorrelationId, second.CorrelationId });
            Assert.StartsWith("Storage unavailable: recovering the partition from the journal failed (The database is down.)", first.Error, StringComparison.Ordinal);
            ExpectTerminated(partition);
        }
        finally
        {
            ControlledJournal.Unreadable = false;
        }

        // The database is back: the shard's next start of the partition recovers and serves.
        var restarted = Partition("unreadable");
        restarted.Tell(new ApplyLwwOps(3, [Put("a", Keys[0], "v", Ts(10))], WriteConcern.Persisted, "w"));
        Assert.True(Assert.Single(ExpectMsg<OpsApplied>().Outcomes).Success);
    }

    [Fact]
    public void Ops_of_the_other_kind_are_rejected_per_op_and_merkle_reads_of_the_other_kind_as_a_command()
    {
        var partition = Partition("kinds");
        partition.Tell(new ApplyLwwOps(1, [Put("a", Keys[0], "v", Ts(10))], WriteConcern.Persisted, "w"));
        ExpectMsg<OpsApplied>();

        var record = new OrMapRecord(Value.Of("x"), Ts(11), Ts(11).ToString());
        partition.Tell(new ApplyOrOps(2, [new OrOp("or-1", Keys[1], record, null)], WriteConcern.Persisted, "w"));
        var rejected = ExpectMsg<OpsApplied>();
        Assert.Equal("Map 'kinds' is an LWW map; OR operations are rejected.", Assert.Single(rejected.Outcomes).Error);

        partition.Tell(new GetMerkleNode(3, MapKind.Or, PartitionName));
        Assert.Contains("is an LWW map", ExpectMsg<PartitionCommandRejected>().Error, StringComparison.Ordinal);
        partition.Tell(new MergeOrEntries(4, [new OrEntry(Keys[1], [record], [])], "w"));
        Assert.Equal(4, ExpectMsg<PartitionCommandRejected>().CorrelationId);
    }

    [Fact]
    public void Expired_ttl_records_become_tombstones_that_are_persisted_and_published()
    {
        var feed = CreateTestProbe();
        var partition = Partition("ttl", _settings.WithTtlCheckInterval(TimeSpan.FromMilliseconds(50)), feed.Ref);
        var past = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 10_000;

        partition.Tell(new ApplyLwwOps(1, [new LwwOp("a", Keys[0], new LwwRecord(Value.Of("v"), Ts(past), 1_000))], WriteConcern.Persisted, "w"));
        ExpectMsg<OpsApplied>();
        Assert.Equal("w", ((MapChanged)feed.ExpectMsg<Publish>().Message).OriginId);

        var expiry = (MapChanged)feed.ExpectMsg<Publish>().Message;
        var change = Assert.Single(expiry.Changes);
        Assert.Equal("", expiry.OriginId);
        Assert.True(change.Record!.IsTombstone);
        Assert.Equal(MapSettings.ExpiryNodeId, change.Record.Timestamp.NodeId);
    }

    [Fact]
    public void A_page_answered_while_a_write_is_in_flight_reports_the_sequence_number_its_change_is_published_with()
    {
        var gate = Gate("paged");
        var feed = CreateTestProbe();
        var reader = CreateTestProbe();
        var partition = Partition("paged", feed: feed.Ref);
        partition.Tell(new QueryPartition(1, QuerySpec.All, WallMillis()), reader.Ref);
        Assert.Equal(0, reader.ExpectMsg<PartitionQueryResult>().SequenceNr);

        partition.Tell(new ApplyOrOps(2, [new OrOp("a", Keys[0], OrAt("milk", 10), null)], WriteConcern.Persisted, "w"));
        partition.Tell(new QueryPartition(3, QuerySpec.All, WallMillis()), reader.Ref);
        var page = reader.ExpectMsg<PartitionQueryResult>();
        Assert.Equal(Keys[0], Assert.Single(page.Candidates).Key);
        feed.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        gate.SetResult();
        ExpectMsg<OpsApplied>();
        var changed = (MapChanged)feed.ExpectMsg<Publish>().Message;
        Assert.Equal(1, changed.SequenceNr);
        // The page holds the write, so its number covers the change: a live query that got the page leaves the change out.
        Assert.Equal(changed.SequenceNr, page.SequenceNr);
    }

    [Fact]
    public void After_a_restart_a_partition_numbers_its_pages_and_changes_on_from_the_journal_pruned_tombstones_included()
    {
        var feed = CreateTestProbe();
        var reader = CreateTestProbe();
        var settings = _settings.WithTombstoneGc(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(50));
        var partition = Partition("renumbered", settings, feed.Ref);
        var milk = OrAt("milk", 10);
        partition.Tell(new ApplyOrOps(1, [new OrOp("a", Keys[0], milk, null)], WriteConcern.Persisted, "w"));
        partition.Tell(new ApplyOrOps(2, [new OrOp("b", Keys[0], null, milk.Tag)], WriteConcern.Persisted, "w"));
        ExpectMsg<OpsApplied>();
        ExpectMsg<OpsApplied>();
        Assert.Equal([1L, 2L], new[] { feed.ExpectMsg<Publish>(), feed.ExpectMsg<Publish>() }.Select(p => ((MapChanged)p.Message).SequenceNr!.Value));

        // The collected tombstone is an event of its own (no change is published for it) and takes the next number.
        AwaitAssert(() =>
        {
            partition.Tell(new QueryPartition(3, QuerySpec.All, WallMillis()), reader.Ref);
            Assert.Equal(3, reader.ExpectMsg<PartitionQueryResult>().SequenceNr);
        }, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100));
        partition.Tell(new ApplyOrOps(4, [new OrOp("c", Keys[1], OrAt("eggs", 20), null)], WriteConcern.Persisted, "w"));
        ExpectMsg<OpsApplied>();
        Assert.Equal(4, ((MapChanged)feed.ExpectMsg<Publish>().Message).SequenceNr);

        Watch(partition);
        Sys.Stop(partition);
        ExpectTerminated(partition);
        var restarted = Partition("renumbered", _settings, feed.Ref);
        restarted.Tell(new QueryPartition(5, QuerySpec.All, WallMillis()), reader.Ref);
        Assert.Equal(4, reader.ExpectMsg<PartitionQueryResult>().SequenceNr);
        restarted.Tell(new ApplyOrOps(6, [new OrOp("d", Keys[1], OrAt("jam", 30), null)], WriteConcern.Persisted, "w"));
        ExpectMsg<OpsApplied>();
        Assert.Equal(5, ((MapChanged)feed.ExpectMsg<Publish>().Message).SequenceNr);
    }

    private static OrMapRecord OrAt(string value, long millis) => new(Value.Of(value), Ts(millis), Ts(millis).ToString());

    private static long WallMillis() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
