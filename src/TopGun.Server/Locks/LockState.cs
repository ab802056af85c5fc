using System.Collections.Immutable;
using Akka.Actor;

namespace TopGun.Server.Locks;

/// <summary>
/// One lock's state, immutable: the fencing-token high-water mark, the current lease and the FIFO wait queue.
/// The decisions (<see cref="Acquire"/>, <see cref="Release"/>, <see cref="Expire"/>, <see cref="ClientLeft"/>)
/// are pure: they return the events to persist and the replies to send once those are durable, and
/// <see cref="Apply"/> folds an event in; <see cref="LeaseLock"/> only persists and delivers.
/// </summary>
internal sealed record LockState(string Name, long Token, LockLease? Lease, ImmutableList<LockWaiter> Waiters)
{
    public static LockState Empty(string name) => new(name, 0, null, []);

    /// <summary>No lease and nobody waiting: the entity may passivate (the token is in the journal).</summary>
    public bool IsIdle => Lease is null && Waiters.IsEmpty;

    /// <summary>Every connection the lock currently depends on: the holder and the waiters.</summary>
    public IEnumerable<IActorRef> Clients =>
        (Lease is { } lease ? [lease.Client] : Enumerable.Empty<IActorRef>()).Concat(Waiters.Select(w => w.Client)).Distinct();

    public LockState Apply(ILockEvent @event) => @event switch
    {
        LockWaiterQueued q => this with { Waiters = Waiters.Add(q.Waiter) },
        LockLeaseGranted g => this with
        {
            Token = Math.Max(Token, g.Lease.Token),
            Lease = g.Lease,
            Waiters = Waiters.RemoveAll(w => w.Client.Equals(g.Lease.Client) && w.RequestId == g.Lease.RequestId),
        },
        LockLeaseExtended e => Lease is null ? this : this with { Lease = Lease with { ExpiresAtMs = e.ExpiresAtMs } },
        LockLeaseEnded e => Lease?.Token == e.Token ? this with { Lease = null } : this,
        LockClientLeft l => this with
        {
            Lease = Lease is { } lease && lease.Client.Equals(l.Client) ? null : Lease,
            Waiters = Waiters.RemoveAll(w => w.Client.Equals(l.Client)),
        },
        _ => throw new ArgumentException($"Unknown lock event {@event.GetType().Name}", nameof(@event)),
    };

    public LockSnapshot ToSnapshot() => new(Token, Lease, Waiters);

    public static LockState FromSnapshot(string name, LockSnapshot snapshot) =>
        new(name, snapshot.Token, snapshot.Lease, [.. snapshot.Waiters]);

    /// <summary>
    /// A LOCK_REQUEST: granted at once when the lock is free, an extension (same token) when the client already
    /// holds it, a no-op when this very request is already queued or granted (a re-send), else queued at the end.
    /// </summary>
    public LockTransition Acquire(AcquireLock command, long nowMs, int maxWaiters)
    {
        ArgumentNullException.ThrowIfNull(command);
        var t = Expire(nowMs);
        var state = t.State;
        if (state.Lease is { } lease && lease.Client.Equals(command.Client))
        {
            if (lease.RequestId == command.RequestId)
                return t.Reply(command.Client, new LockAcquired(Name, command.RequestId, lease.Token));
            if (!state.IsQueued(command))
            {
                var until = Math.Max(lease.ExpiresAtMs, nowMs + command.TtlMs);
                return t.Emit(new LockLeaseExtended(until)).Reply(command.Client, new LockAcquired(Name, command.RequestId, lease.Token));
            }
        }
        if (state.IsQueued(command)) return t;
        if (state.Lease is null && state.Waiters.IsEmpty)
            return t.Emit(new LockLeaseGranted(new LockLease(command.Client, command.RequestId, state.Token + 1, nowMs + command.TtlMs)))
                .Reply(command.Client, new LockAcquired(Name, command.RequestId, state.Token + 1));
        if (state.Waiters.Count >= maxWaiters)
            return t.Reply(command.Client, new LockAcquireRefused(Name, command.RequestId, $"Too many waiters on lock '{Name}': at most {maxWaiters}"));
        return t.Emit(new LockWaiterQueued(new LockWaiter(command.Client, command.RequestId, command.TtlMs)));
    }

    /// <summary>A LOCK_RELEASE: succeeds only for the current holder with the current token; the next waiter is granted.</summary>
    public LockTransition Release(ReleaseLock command, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(command);
        var t = Expire(nowMs);
        if (t.State.Lease is not { } lease || !lease.Client.Equals(command.Client) || lease.Token != command.FencingToken)
            return t.Reply(command.Client, new LockReleaseResult(Name, command.CorrelationId, false));
        return t.Emit(new LockLeaseEnded(lease.Token))
            .Reply(command.Client, new LockReleaseResult(Name, command.CorrelationId, true))
            .GrantNext(nowMs);
    }

    /// <summary>Ends a lease whose time is up and grants the next waiter; nothing when the lease still runs.</summary>
    public LockTransition Expire(long nowMs)
    {
        var t = new LockTransition(this);
        return Lease is { } lease && lease.IsExpired(nowMs) ? t.Emit(new LockLeaseEnded(lease.Token)).GrantNext(nowMs) : t.GrantNext(nowMs);
    }

    /// <summary>A connection is gone: its lease and queued requests go, and the next waiter is granted.</summary>
    public LockTransition ClientLeft(IActorRef client, long nowMs)
    {
        var t = new LockTransition(this);
        if (!Clients.Contains(client)) return t;
        return t.Emit(new LockClientLeft(client)).GrantNext(nowMs);
    }

    private bool IsQueued(AcquireLock command) =>
        Waiters.Exists(w => w.Client.Equals(command.Client) && w.RequestId == command.RequestId);
}
