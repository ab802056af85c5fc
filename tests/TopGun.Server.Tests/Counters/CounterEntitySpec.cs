using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using TopGun.Core.Crdt;
using TopGun.Server.Counters;
using TopGun.Server.Tests.Maps;
using TopGun.Server.Tests.Support;
using TopGun.Server.Node;

namespace TopGun.Server.Tests.Counters;

/// <summary>The counter entity's merge, group commit, push and recovery, against a journal the test controls.</summary>
public sealed class CounterEntitySpec : TestKit
{
    private readonly CounterSettings _settings;

    public CounterEntitySpec() : base(ConfigurationFactory.ParseString(ControlledJournal.Config)
        .WithFallback(Server.Node.AkkaConfigBuilder.Build(TestNode.LocalPersistence(TestNode.Environment(Path.GetTempPath())))))
    {
        _settings = CounterSettings.Create(Sys.Settings.Config).WithPassivateAfter(TimeSpan.Zero);
    }

    private static string Unique(string name) => name + "-" + Guid.NewGuid().ToString("n")[..8];

    private IActorRef Counter(string name, CounterSettings? settings = null) =>
        Sys.ActorOf(CounterEntity.Props(name, settings ?? _settings));

    private static PnCounterState State(params (string Node, double P, double N)[] entries) =>
        new(entries.Where(e => e.P > 0).Select(e => new KeyValuePair<string, double>(e.Node, e.P)),
            entries.Where(e => e.N > 0).Select(e => new KeyValuePair<string, double>(e.Node, e.N)));

    private static TaskCompletionSource Gate(string name)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ControlledJournal.Gates["counter|" + name] = gate;
        return gate;
    }

    [Fact]
    public void A_request_answers_the_state_and_a_sync_reaches_the_syncer_and_every_other_subscriber()
    {
        var counter = Counter(Unique("likes"));
        var reader = CreateTestProbe();
        var syncer = CreateTestProbe();

        counter.Tell(new GetCounter(1), reader.Ref);
        Assert.Equal(PnCounterState.Empty, reader.ExpectMsg<CounterRead>().State);

        counter.Tell(new SyncCounter(7, State(("b", 3, 1))), syncer.Ref);
        var synced = syncer.ExpectMsg<CounterSynced>();
        Assert.Equal((7L, State(("b", 3, 1))), (synced.CorrelationId, synced.State));
        Assert.Equal(State(("b", 3, 1)), reader.ExpectMsg<CounterChanged>().State);

        // The syncer subscribed by syncing: the reader's later sync reaches it as a push.
        counter.Tell(new SyncCounter(2, State(("r", 5, 0))), reader.Ref);
        Assert.Equal(State(("b", 3, 1), ("r", 5, 0)), reader.ExpectMsg<CounterSynced>().State);
        Assert.Equal(7, syncer.ExpectMsg<CounterChanged>().State.Value);
    }

    [Fact]
    public void A_sync_is_answered_after_its_journal_write_and_syncs_during_the_write_join_the_next_batch()
    {
        var name = Unique("held");
        var gate = Gate(name);
        var counter = Counter(name);
        var first = CreateTestProbe();
        var second = CreateTestProbe();
        var reader = CreateTestProbe();

        counter.Tell(new SyncCounter(1, State(("a", 1, 0))), first.Ref);
        counter.Tell(new SyncCounter(2, State(("b", 2, 0))), second.Ref);
        // Reads keep being served from the durable state while the write is held.
        counter.Tell(new GetCounter(3), reader.Ref);
        Assert.Equal(PnCounterState.Empty, reader.ExpectMsg<CounterRead>().State);
        first.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        gate.SetResult();
        Assert.Equal(State(("a", 1, 0)), first.ExpectMsg<CounterSynced>().State);
        Assert.Equal(State(("a", 1, 0)), reader.ExpectMsg<CounterChanged>().State);
        // The second syncer subscribed on arrival, so it sees the first batch as a push before its own answer.
        Assert.Equal(State(("a", 1, 0)), second.ExpectMsg<CounterChanged>().State);
        Assert.Equal(State(("a", 1, 0), ("b", 2, 0)), second.ExpectMsg<CounterSynced>().State);
        Assert.Equal(State(("a", 1, 0), ("b", 2, 0)), first.ExpectMsg<CounterChanged>().State);
        Assert.Equal(State(("a", 1, 0), ("b", 2, 0)), reader.ExpectMsg<CounterChanged>().State);
    }

    [Fact]
    public void A_sync_that_changes_nothing_writes_nothing_and_pushes_nothing()
    {
        var name = Unique("steady");
        var counter = Counter(name);
        var syncer = CreateTestProbe();
        var watcher = CreateTestProbe();
        counter.Tell(new SyncCounter(1, State(("a", 5, 2))), syncer.Ref);
        syncer.ExpectMsg<CounterSynced>();
        counter.Tell(new GetCounter(2), watcher.Ref);
        watcher.ExpectMsg<CounterRead>();

        // Any journal write would now hang: the answer proves the stale sync was not persisted.
        Gate(name);
        counter.Tell(new SyncCounter(3, State(("a", 4, 1))), syncer.Ref);

        var answer = syncer.ExpectMsg<CounterSynced>();
        Assert.Equal((3L, State(("a", 5, 2))), (answer.CorrelationId, answer.State));
        watcher.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_sync_that_repeats_one_still_being_written_pushes_nothing_more_once_that_write_completes()
    {
        var name = Unique("repeated");
        var counter = Counter(name);
        var watcher = CreateTestProbe();
        var first = CreateTestProbe();
        var repeat = CreateTestProbe();
        counter.Tell(new GetCounter(1), watcher.Ref);
        watcher.ExpectMsg<CounterRead>();

        var gate = Gate(name);
        counter.Tell(new SyncCounter(2, State(("a", 3, 0))), first.Ref);
        // Grows nothing beyond the write in flight, so it waits for the next batch, which must then find nothing to write.
        counter.Tell(new SyncCounter(3, State(("a", 2, 0))), repeat.Ref);
        first.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        gate.SetResult();
        Assert.Equal(State(("a", 3, 0)), first.ExpectMsg<CounterSynced>().State);
        Assert.Equal(State(("a", 3, 0)), watcher.ExpectMsg<CounterChanged>().State);
        Assert.Equal(State(("a", 3, 0)), repeat.ExpectMsg<CounterChanged>().State);
        var answer = repeat.ExpectMsg<CounterSynced>();
        Assert.Equal((3L, State(("a", 3, 0))), (answer.CorrelationId, answer.State));
        watcher.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        first.ExpectNoMsg(TimeSpan.Zero);
    }

    [Fact]
    public async Task The_state_survives_a_restart_from_its_snapshot_and_later_events()
    {
        var name = Unique("durable");
        var settings = _settings.WithSnapshotEvery(2);
        var counter = Counter(name, settings);
        var states = new[] { State(("a", 1, 0)), State(("b", 4, 2)), State(("a", 3, 0)), State(("c", 0, 7)), State(("b", 5, 2)) };
        var expected = PnCounterState.Empty;
        for (var i = 0; i < states.Length; i++)
        {
            counter.Tell(new SyncCounter(i, states[i]));
            ExpectMsg<CounterSynced>();
            expected = expected.Merge(states[i]);
        }
        Watch(counter);
        counter.Tell(CounterStop.Instance);
        ExpectTerminated(counter);

        // The latest snapshot (after the fourth merge) misses the fifth; with the events it covers deleted, only
        // snapshot + later events can give the full state back.
        var snapshot = await StoredSnapshots.AwaitLatestAsync(Sys, "counter|" + name, 4);
        Assert.Equal(4, snapshot.Metadata.SequenceNr);
        Assert.Equal(states[..4].Aggregate(PnCounterState.Empty, (a, b) => a.Merge(b)), Assert.IsType<CounterSnapshot>(snapshot.Snapshot).State);
        Assert.NotEqual(expected, ((CounterSnapshot)snapshot.Snapshot).State);
        StoredSnapshots.DeleteEventsUpTo(Sys, this, "counter|" + name, 4);

        var restarted = Counter(name, settings);
        restarted.Tell(new GetCounter(9));

        var read = ExpectMsg<CounterRead>();
        Assert.Equal(expected, read.State);
        Assert.Equal(3 + 5 - 2 - 7, read.State.Value);
    }

    [Fact]
    public void A_sync_beyond_the_entry_limit_is_rejected_and_nothing_of_it_is_merged()
    {
        var counter = Counter(Unique("bounded"), _settings.WithMaxEntries(2));
        counter.Tell(new SyncCounter(1, State(("a", 1, 0), ("b", 1, 0))));
        ExpectMsg<CounterSynced>();

        counter.Tell(new SyncCounter(2, State(("a", 9, 0), ("c", 1, 0))));
        var rejected = ExpectMsg<CounterRejected>();
        Assert.Equal(2, rejected.CorrelationId);
        Assert.Contains("2 node entries", rejected.Reason, StringComparison.Ordinal);

        counter.Tell(new GetCounter(3));
        Assert.Equal(State(("a", 1, 0), ("b", 1, 0)), ExpectMsg<CounterRead>().State);
    }

    [Fact]
    public void A_stop_during_a_write_waits_until_the_sync_is_answered()
    {
        var name = Unique("handoff");
        var gate = Gate(name);
        var counter = Counter(name);
        Watch(counter);

        counter.Tell(new SyncCounter(1, State(("a", 2, 0))));
        counter.Tell(CounterStop.Instance);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        gate.SetResult();

        Assert.Equal(State(("a", 2, 0)), ExpectMsg<CounterSynced>().State);
        ExpectTerminated(counter);
    }
}
