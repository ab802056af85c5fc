using Akka.Actor;
using Akka.TestKit.Xunit2;
using TopGun.Server.Locks;

namespace TopGun.Server.Tests.Locks;

/// <summary>The pure decisions of one lock: FIFO grants, extensions, re-sends, releases, expiry and departures.</summary>
public sealed class LockStateTests : TestKit
{
    private const long T0 = 1_700_000_000_000;
    private readonly IActorRef _a;
    private readonly IActorRef _b;
    private readonly IActorRef _c;

    public LockStateTests() : base("akka.loglevel = WARNING")
    {
        _a = CreateTestProbe("a").Ref;
        _b = CreateTestProbe("b").Ref;
        _c = CreateTestProbe("c").Ref;
    }

    [Fact]
    public void A_free_lock_is_granted_at_once_with_the_next_token()
    {
        var t = LockState.Empty("l").Acquire(Acquire(_a, "r1"), T0, 10);

        Assert.Equal(new LockAcquired("l", "r1", 1), Assert.Single(t.Replies).Reply);
        Assert.Equal(new LockLease(_a, "r1", 1, T0 + 5000), t.State.Lease);
        Assert.IsType<LockLeaseGranted>(Assert.Single(t.Events));
    }

    [Fact]
    public void Waiters_are_granted_in_arrival_order_with_strictly_increasing_tokens()
    {
        var state = Run(LockState.Empty("l"), s => s.Acquire(Acquire(_a, "r1"), T0, 10));
        var queued = state.Acquire(Acquire(_b, "r2"), T0, 10);
        Assert.Empty(queued.Replies);
        state = Run(queued.State, s => s.Acquire(Acquire(_c, "r3"), T0, 10));

        var released = state.Release(new ReleaseLock("l", 1, 7, _a), T0);
        Assert.Equal([(_a, (ILockReply)new LockReleaseResult("l", 7, true)), (_b, new LockAcquired("l", "r2", 2))], released.Replies);

        var next = released.State.Release(new ReleaseLock("l", 2, 8, _b), T0);
        Assert.Equal((_c, (ILockReply)new LockAcquired("l", "r3", 3)), next.Replies[1]);
        Assert.Equal(3, next.State.Token);
    }

    [Fact]
    public void A_request_by_the_holder_extends_the_lease_and_keeps_the_token()
    {
        var state = Run(LockState.Empty("l"), s => s.Acquire(Acquire(_a, "r1"), T0, 10));

        var t = state.Acquire(Acquire(_a, "r2", ttl: 60_000), T0 + 1000, 10);

        Assert.Equal(new LockAcquired("l", "r2", 1), Assert.Single(t.Replies).Reply);
        Assert.Equal(T0 + 61_000, t.State.Lease!.ExpiresAtMs);
        Assert.Equal(1, t.State.Token);
    }

    [Fact]
    public void A_re_sent_request_changes_nothing_and_a_granted_one_is_answered_again()
    {
        var state = Run(LockState.Empty("l"), s => s.Acquire(Acquire(_a, "r1"), T0, 10));
        state = Run(state, s => s.Acquire(Acquire(_b, "r2"), T0, 10));

        var resentWaiter = state.Acquire(Acquire(_b, "r2"), T0, 10);
        var resentHolder = state.Acquire(Acquire(_a, "r1"), T0 + 10, 10);

        Assert.Empty(resentWaiter.Events);
        Assert.Empty(resentWaiter.Replies);
        Assert.Single(state.Waiters);
        Assert.Empty(resentHolder.Events);
        Assert.Equal(new LockAcquired("l", "r1", 1), Assert.Single(resentHolder.Replies).Reply);
    }

    [Fact]
    public void A_release_with_a_stale_token_or_by_another_client_fails_and_keeps_the_lease()
    {
        var state = Run(LockState.Empty("l"), s => s.Acquire(Acquire(_a, "r1"), T0, 10));

        var stale = state.Release(new ReleaseLock("l", 0, 1, _a), T0);
        var stranger = state.Release(new ReleaseLock("l", 1, 2, _b), T0);

        Assert.Equal(new LockReleaseResult("l", 1, false), Assert.Single(stale.Replies).Reply);
        Assert.Equal(new LockReleaseResult("l", 2, false), Assert.Single(stranger.Replies).Reply);
        Assert.Empty(stale.Events);
        Assert.Equal(_a, stranger.State.Lease!.Client);
    }

    [Fact]
    public void An_expired_lease_passes_to_the_next_waiter()
    {
        var state = Run(LockState.Empty("l"), s => s.Acquire(Acquire(_a, "r1"), T0, 10));
        state = Run(state, s => s.Acquire(Acquire(_b, "r2"), T0, 10));

        Assert.Empty(state.Expire(T0 + 4999).Events);
        var t = state.Expire(T0 + 5000);

        Assert.Equal((_b, (ILockReply)new LockAcquired("l", "r2", 2)), Assert.Single(t.Replies));
        Assert.Equal(new LockLease(_b, "r2", 2, T0 + 10_000), t.State.Lease);
    }

    [Fact]
    public void A_departed_holder_frees_the_lock_and_its_own_waits_are_dropped()
    {
        var state = Run(LockState.Empty("l"), s => s.Acquire(Acquire(_a, "r1"), T0, 10));
        state = Run(state, s => s.Acquire(Acquire(_a, "r9", lockName: "l"), T0, 10));
        state = Run(state, s => s.Acquire(Acquire(_b, "r2"), T0, 10));
        state = Run(state, s => s.Acquire(Acquire(_c, "r3"), T0, 10));

        var waiterLeft = state.ClientLeft(_c, T0);
        Assert.DoesNotContain(waiterLeft.State.Waiters, w => w.Client.Equals(_c));
        Assert.Empty(waiterLeft.Replies);

        var holderLeft = waiterLeft.State.ClientLeft(_a, T0);
        Assert.Equal((_b, (ILockReply)new LockAcquired("l", "r2", 2)), Assert.Single(holderLeft.Replies));
        Assert.Empty(holderLeft.State.Waiters);
        Assert.Empty(holderLeft.State.ClientLeft(_a, T0).Events);
    }

    [Fact]
    public void A_full_queue_refuses_further_requests()
    {
        var state = Run(LockState.Empty("l"), s => s.Acquire(Acquire(_a, "r1"), T0, 1));
        state = Run(state, s => s.Acquire(Acquire(_b, "r2"), T0, 1));

        var t = state.Acquire(Acquire(_c, "r3"), T0, 1);

        Assert.IsType<LockAcquireRefused>(Assert.Single(t.Replies).Reply);
        Assert.Empty(t.Events);
    }

    [Fact]
    public void Replaying_the_events_of_a_transition_rebuilds_its_state_and_a_snapshot_round_trips()
    {
        var initial = LockState.Empty("l");
        var t1 = initial.Acquire(Acquire(_a, "r1"), T0, 10);
        var t2 = t1.State.Acquire(Acquire(_b, "r2"), T0, 10);
        var t3 = t2.State.ClientLeft(_a, T0);

        var replayed = t1.Events.Concat(t2.Events).Concat(t3.Events).Aggregate(initial, (s, e) => s.Apply(e));

        Assert.Equal(t3.State.Token, replayed.Token);
        Assert.Equal(t3.State.Lease, replayed.Lease);
        Assert.Equal(t3.State.Waiters, replayed.Waiters);
        var restored = LockState.FromSnapshot("l", replayed.ToSnapshot());
        Assert.Equal(replayed.ToSnapshot(), restored.ToSnapshot());
    }

    private static LockState Run(LockState state, Func<LockState, LockTransition> decide) => decide(state).State;

    private static AcquireLock Acquire(IActorRef client, string requestId, long ttl = 5000, string lockName = "l") =>
        new(lockName, requestId, ttl, client);
}
