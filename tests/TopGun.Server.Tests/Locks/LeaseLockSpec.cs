using Akka.Actor;
using Akka.Serialization;
using TopGun.Server.Configuration;
using TopGun.Server.Locks;
using TopGun.Server.Tests.Maps;
using TopGun.Server.Tests.Support;
using TopGun.Server.Node;

namespace TopGun.Server.Tests.Locks;

/// <summary>One lock entity on a real SQLite journal: durable tokens, death-watched holders, lease expiry, serialization.</summary>
public sealed class LeaseLockSpec : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private readonly TempDirectory _dir = new();
    private readonly NodeConfiguration _node;

    public LeaseLockSpec()
    {
        _node = TestNode.LocalPersistence(TestNode.Environment(_dir.Path));
    }

    [Fact]
    public async Task Fencing_tokens_keep_growing_across_passivation_and_a_restarted_node()
    {
        await using (var first = await PartitionSystem.StartAsync(_node, name: "locks1"))
        {
            var client = first.Kit.CreateTestProbe();
            var entity = first.System.ActorOf(LeaseLock.Props("orders", LockSettings.Default));
            entity.Tell(new AcquireLock("orders", "r1", 10_000, client.Ref));
            Assert.Equal(1, client.ExpectMsg<LockAcquired>(Wait).FencingToken);
            entity.Tell(new ReleaseLock("orders", 1, 1, client.Ref));
            Assert.True(client.ExpectMsg<LockReleaseResult>(Wait).Success);

            // A new incarnation (as after passivation) recovers the high-water mark from the journal.
            first.Kit.Watch(entity);
            first.System.Stop(entity);
            first.Kit.ExpectTerminated(entity, Wait);
            var again = first.System.ActorOf(LeaseLock.Props("orders", LockSettings.Default));
            again.Tell(new AcquireLock("orders", "r2", 1000, client.Ref));
            Assert.Equal(2, client.ExpectMsg<LockAcquired>(Wait).FencingToken);
        }

        await using var second = await PartitionSystem.StartAsync(_node, name: "locks2");
        var other = second.Kit.CreateTestProbe();
        var restarted = second.System.ActorOf(LeaseLock.Props("orders", LockSettings.Default));
        // The holder of token 2 lived in the stopped system: the recovered lease ends when its time is up (or its death is noticed).
        restarted.Tell(new AcquireLock("orders", "r3", 10_000, other.Ref));
        Assert.Equal(3, other.ExpectMsg<LockAcquired>(Wait).FencingToken);
    }

    [Fact]
    public async Task A_grant_is_sent_only_after_its_fencing_token_is_in_the_journal()
    {
        var system = ActorSystem.Create("locks-held", Akka.Configuration.ConfigurationFactory.ParseString(ControlledJournal.Config)
            .WithFallback(Server.Node.AkkaConfigBuilder.Build(_node)));
        try
        {
            var kit = new Akka.TestKit.Xunit2.TestKit(system);
            var name = "held-" + Guid.NewGuid().ToString("n")[..8];
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            ControlledJournal.Gates["lock|" + name] = gate;
            var client = kit.CreateTestProbe();
            var entity = system.ActorOf(LeaseLock.Props(name, LockSettings.Default));

            entity.Tell(new AcquireLock(name, "r1", 10_000, client.Ref));

            kit.AwaitCondition(() => ControlledJournal.HeldWrites.GetValueOrDefault("lock|" + name) == 1, Wait);
            client.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
            gate.SetResult();
            Assert.Equal(new LockAcquired(name, "r1", 1), client.ExpectMsg<LockAcquired>(Wait));
        }
        finally
        {
            await system.Terminate();
        }
    }

    [Fact]
    public async Task A_stopped_holder_loses_the_lock_to_the_next_waiter()
    {
        await using var system = await PartitionSystem.StartAsync(_node);
        var holder = system.Kit.CreateTestProbe();
        var waiter = system.Kit.CreateTestProbe();
        var entity = system.System.ActorOf(LeaseLock.Props("jobs", LockSettings.Default));
        entity.Tell(new AcquireLock("jobs", "h", 60_000, holder.Ref));
        Assert.Equal(1, holder.ExpectMsg<LockAcquired>(Wait).FencingToken);
        entity.Tell(new AcquireLock("jobs", "w", 60_000, waiter.Ref));
        waiter.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        system.System.Stop(holder.Ref);

        Assert.Equal(new LockAcquired("jobs", "w", 2), waiter.ExpectMsg<LockAcquired>(Wait));
    }

    [Fact]
    public async Task An_expired_lease_is_granted_to_the_next_waiter_and_the_old_token_no_longer_releases()
    {
        await using var system = await PartitionSystem.StartAsync(_node);
        var settings = LockSettings.Default.WithTtlBounds(TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5));
        var holder = system.Kit.CreateTestProbe();
        var waiter = system.Kit.CreateTestProbe();
        var entity = system.System.ActorOf(LeaseLock.Props("short", settings));
        entity.Tell(new AcquireLock("short", "h", 300, holder.Ref));
        holder.ExpectMsg<LockAcquired>(Wait);
        entity.Tell(new AcquireLock("short", "w", 60_000, waiter.Ref));

        Assert.Equal(2, waiter.ExpectMsg<LockAcquired>(Wait).FencingToken);
        entity.Tell(new ReleaseLock("short", 1, 5, holder.Ref));
        Assert.False(holder.ExpectMsg<LockReleaseResult>(Wait).Success);
    }

    [Fact]
    public async Task Snapshots_bound_recovery_and_keep_the_token()
    {
        await using var system = await PartitionSystem.StartAsync(_node);
        var settings = LockSettings.Default.WithSnapshotEvery(3);
        var client = system.Kit.CreateTestProbe();
        var entity = system.System.ActorOf(LeaseLock.Props("snap", settings));
        for (var i = 1; i <= 5; i++)
        {
            entity.Tell(new AcquireLock("snap", "r" + i, 10_000, client.Ref));
            var token = client.ExpectMsg<LockAcquired>(Wait).FencingToken;
            Assert.Equal(i, token);
            entity.Tell(new ReleaseLock("snap", token, i, client.Ref));
            client.ExpectMsg<LockReleaseResult>(Wait);
        }
        system.Kit.Watch(entity);
        system.System.Stop(entity);
        system.Kit.ExpectTerminated(entity, Wait);

        // Each turn journals a grant and an end (10 events); the latest snapshot, after the ninth, still holds r5's
        // lease. Deleting the events it covers leaves a full replay without any granted token, and only the later
        // end event frees the lock before r5's 10 s lease would run out.
        var snapshot = await StoredSnapshots.AwaitLatestAsync(system.System, "lock|snap", 9);
        var stored = Assert.IsType<LockSnapshot>(snapshot.Snapshot);
        Assert.Equal(9, snapshot.Metadata.SequenceNr);
        Assert.Equal((5L, "r5"), (stored.Token, stored.Lease?.RequestId));
        StoredSnapshots.DeleteEventsUpTo(system.System, system.Kit, "lock|snap", snapshot.Metadata.SequenceNr);

        var again = system.System.ActorOf(LeaseLock.Props("snap", settings));
        again.Tell(new AcquireLock("snap", "r6", 10_000, client.Ref));
        Assert.Equal(6, client.ExpectMsg<LockAcquired>(TimeSpan.FromSeconds(5)).FencingToken);
    }

    [Fact]
    public async Task Events_and_commands_round_trip_through_the_lock_serializer_with_their_actor_refs()
    {
        await using var system = await PartitionSystem.StartAsync(_node);
        var client = system.Kit.CreateTestProbe().Ref;
        object[] samples =
        [
            new LockWaiterQueued(new LockWaiter(client, "r1", 5000)),
            new LockLeaseGranted(new LockLease(client, "r1", 42, 1_700_000_000_000)),
            new LockLeaseExtended(1_700_000_009_000),
            new LockLeaseEnded(42),
            new LockClientLeft(client),
            new LockSnapshot(42, new LockLease(client, "r1", 42, 1), [new LockWaiter(client, "r2", 1000)]),
            new LockSnapshot(7, null, []),
            new AcquireLock("l", "r1", 5000, client),
            new ReleaseLock("l", 42, 9, client),
            new LockAcquired("l", "r1", 42),
            new LockAcquireRefused("l", "r1", "full"),
            new LockReleaseResult("l", 9, true),
        ];
        foreach (var sample in samples)
        {
            var serializer = (SerializerWithStringManifest)system.System.Serialization.FindSerializerFor(sample);
            Assert.Equal(4715, serializer.Identifier);
            var restored = system.System.Serialization.Deserialize(serializer.ToBinary(sample), serializer.Identifier, serializer.Manifest(sample));
            Assert.Equal(sample, restored);
        }
    }

    public void Dispose() => _dir.Dispose();
}
