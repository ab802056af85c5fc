using System.Collections.Immutable;
using Akka.Actor;

namespace TopGun.Server.Locks;

/// <summary>
/// The outcome of one decision of a <see cref="LockState"/>: the state after <see cref="Events"/>, the events
/// to persist (in order) and the replies to send once they are durable.
/// </summary>
internal sealed record LockTransition(LockState State, ImmutableList<ILockEvent> Events, ImmutableList<(IActorRef To, ILockReply Reply)> Replies)
{
    public LockTransition(LockState state) : this(state, [], []) { }

    public LockTransition Emit(ILockEvent @event) =>
        this with { State = State.Apply(@event), Events = Events.Add(@event) };

    public LockTransition Reply(IActorRef to, ILockReply reply) => this with { Replies = Replies.Add((to, reply)) };

    /// <summary>Hands a free lock to the head of the queue with the next fencing token.</summary>
    public LockTransition GrantNext(long nowMs)
    {
        if (State.Lease is not null || State.Waiters.IsEmpty) return this;
        var next = State.Waiters[0];
        var token = State.Token + 1;
        return Emit(new LockLeaseGranted(new LockLease(next.Client, next.RequestId, token, nowMs + next.TtlMs)))
            .Reply(next.Client, new LockAcquired(State.Name, next.RequestId, token));
    }
}
