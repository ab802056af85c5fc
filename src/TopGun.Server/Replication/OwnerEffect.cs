using System.Collections.Immutable;
using Akka.Actor;
using TopGun.Core.Protocol;
using TopGun.Server.Maps;

namespace TopGun.Server.Replication;

/// <summary>What an <see cref="OwnerReplication"/> decision asks its partition to do, in order. Closed family.</summary>
internal abstract record OwnerEffect
{
    private OwnerEffect() { }

    /// <summary>Send <see cref="Delta"/> to the replica host of <see cref="Node"/>.</summary>
    public sealed record SendDelta(Address Node, ReplicaDelta Delta) : OwnerEffect;

    /// <summary>Send <see cref="ReconcileWithOwner"/> to the replica host of <see cref="Node"/>.</summary>
    public sealed record Reconcile(Address Node, bool CreateIfMissing) : OwnerEffect;

    /// <summary>Send <see cref="ReplicaRelease"/> to the replica host of <see cref="Node"/>.</summary>
    public sealed record Release(Address Node) : OwnerEffect;

    /// <summary>A replica wait ended: answer its write at <see cref="Achieved"/>; <see cref="ConcernNotMet"/> is set when REPLICATED was not reached.</summary>
    public sealed record AnswerWrite(long Seq, ReplicaWaitAnswer Answer, WriteConcern Achieved, string? ConcernNotMet) : OwnerEffect;

    /// <summary>Start (or restart) the periodic check of replica-wait deadlines.</summary>
    public sealed record StartAckTicks(TimeSpan Every) : OwnerEffect;

    /// <summary>No write waits for a replica any more: stop the deadline check.</summary>
    public sealed record StopAckTicks : OwnerEffect
    {
        public static readonly StopAckTicks Instance = new();
    }

    /// <summary>Serve anyway after <see cref="After"/> if some replica never answers the reconcile.</summary>
    public sealed record StartReconcileDeadline(TimeSpan After) : OwnerEffect;

    public sealed record CancelReconcileDeadline : OwnerEffect
    {
        public static readonly CancelReconcileDeadline Instance = new();
    }

    /// <summary>The partition serves: run the commands stashed while it reconciled.</summary>
    public sealed record Serve : OwnerEffect
    {
        public static readonly Serve Instance = new();
    }
}

/// <summary>The outcome of one <see cref="OwnerReplication"/> decision: the next state and the effects to carry out, in order.</summary>
internal sealed record OwnerTransition(OwnerReplication State, ImmutableList<OwnerEffect> Effects)
{
    public OwnerTransition(OwnerReplication state) : this(state, []) { }

    public OwnerTransition Then(OwnerEffect effect) => this with { Effects = Effects.Add(effect) };

    public OwnerTransition With(Func<OwnerReplication, OwnerReplication> change) => this with { State = change(State) };

    /// <summary>Chains a decision on the state reached so far, keeping the effects of both.</summary>
    public OwnerTransition Then(Func<OwnerReplication, OwnerTransition> next)
    {
        var t = next(State);
        return new OwnerTransition(t.State, Effects.AddRange(t.Effects));
    }
}
