using System.Collections.Immutable;
using Akka.Actor;
using TopGun.Server.Maps;

namespace TopGun.Server.Replication;

/// <summary>A write waiting for a replica's confirmation of its delta.</summary>
internal sealed record ReplicaWait(ReplicaWaitAnswer Answer, bool NeedsJournal, DateTime Deadline, bool Journaled = false, bool Replicated = false, bool TimedOut = false);

/// <summary>
/// The owner's side of one partition's replication, immutable: whether it serves yet (after recovery it first
/// reconciles with every member's replica), where its replicas are, the delta numbering, and the writes waiting
/// for a replica's confirmation. Each decision is pure and returns an <see cref="OwnerTransition"/>: the next
/// state and what to send; <see cref="PartitionOwner"/> feeds it the partition's events and carries the effects out.
/// Time and membership come in as arguments, so every decision is testable without actors.
/// </summary>
internal sealed record OwnerReplication
{
    /// <summary>The shortest interval of the deadline check, for very short ack timeouts.</summary>
    public static readonly TimeSpan MinAckTickInterval = TimeSpan.FromMilliseconds(100);

    public required string EntityId { get; init; }

    /// <summary>The owner's own node: never one of its replicas.</summary>
    public required Address Node { get; init; }

    public required int BackupCount { get; init; }

    public required TimeSpan ReplicaAckTimeout { get; init; }

    public required TimeSpan ReconcileTimeout { get; init; }

    public bool Serving { get; init; }

    /// <summary>Members asked to reconcile after recovery that have not answered yet.</summary>
    public ImmutableHashSet<Address> ReconcilePending { get; init; } = [];

    /// <summary>Reconciliation streams from replicas into the owner still open (they may carry acknowledged writes).</summary>
    public int OpenInbound { get; init; }

    /// <summary>Members that said, while the owner recovered, that they hold a replica.</summary>
    public ImmutableHashSet<Address> ReplicaHolders { get; init; } = [];

    public IReadOnlyList<Address> Replicas { get; init; } = [];

    /// <summary>Number of the last delta sent; starts over with each owner incarnation.</summary>
    public long DeltaSeq { get; init; }

    public ImmutableSortedDictionary<long, ReplicaWait> Awaiting { get; init; } = ImmutableSortedDictionary<long, ReplicaWait>.Empty;

    public static OwnerReplication Create(string entityId, Address node, ReplicationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new OwnerReplication
        {
            EntityId = entityId,
            Node = node,
            BackupCount = settings.BackupCount,
            ReplicaAckTimeout = settings.ReplicaAckTimeout,
            ReconcileTimeout = settings.ReconcileTimeout,
        };
    }

    // ---- serving after recovery ------------------------------------------------------------

    /// <summary>Recovery completed: ask every member's replica host to reconcile its copy (never creating one), then serve.</summary>
    public OwnerTransition Begin(IReadOnlyList<Address> members)
    {
        var t = new OwnerTransition(this with { ReconcilePending = [.. members] });
        foreach (var member in members) t = t.Then(new OwnerEffect.Reconcile(member, CreateIfMissing: false));
        return t.Then(new OwnerEffect.StartReconcileDeadline(ReconcileTimeout)).Then(s => s.MaybeServe(members));
    }

    /// <summary>The host on <paramref name="node"/> holds no replica of the partition.</summary>
    public OwnerTransition NoReplica(Address node, IReadOnlyList<Address> members) =>
        (this with { ReconcilePending = ReconcilePending.Remove(node) }).MaybeServe(members);

    /// <summary>The replica on <paramref name="node"/> finished reconciling (successfully or not): it holds a copy.</summary>
    public OwnerTransition ReconcileFinished(Address node, IReadOnlyList<Address> members)
    {
        var next = ReconcilePending.Contains(node)
            ? this with { ReconcilePending = ReconcilePending.Remove(node), ReplicaHolders = ReplicaHolders.Add(node) }
            : this;
        return next.MaybeServe(members);
    }

    /// <summary>The reconcile timeout passed: serve without waiting for the members that did not answer.</summary>
    public OwnerTransition ReconcileDeadlinePassed(IReadOnlyList<Address> members) =>
        (this with { ReconcilePending = [], OpenInbound = 0 }).StartServing(members);

    /// <summary>A replica's records start streaming into the owner.</summary>
    public OwnerTransition InboundOpened() => new(this with { OpenInbound = OpenInbound + 1 });

    /// <summary>A stream of a replica's records ended (completed or failed).</summary>
    public OwnerTransition InboundClosed(IReadOnlyList<Address> members) =>
        (this with { OpenInbound = Math.Max(0, OpenInbound - 1) }).MaybeServe(members);

    private OwnerTransition MaybeServe(IReadOnlyList<Address> members) =>
        Serving || !ReconcilePending.IsEmpty || OpenInbound > 0 ? new OwnerTransition(this) : StartServing(members);

    private OwnerTransition StartServing(IReadOnlyList<Address> members)
    {
        if (Serving) return new OwnerTransition(this);
        return new OwnerTransition(this with { Serving = true })
            .Then(OwnerEffect.CancelReconcileDeadline.Instance)
            .Then(s => s.Place(members))
            .Then(OwnerEffect.Serve.Instance);
    }

    // ---- placement -------------------------------------------------------------------------

    /// <summary>Membership or reachability changed: move the replicas once the partition serves.</summary>
    public OwnerTransition MembershipChanged(IReadOnlyList<Address> members) => Serving ? Place(members) : new OwnerTransition(this);

    /// <summary>
    /// Chooses the replicas (<see cref="ReplicaPlacement"/>): a new one is filled by a reconcile that creates it,
    /// unless it already holds a copy; one no longer chosen (or a holder not chosen) is released while reachable.
    /// </summary>
    private OwnerTransition Place(IReadOnlyList<Address> members)
    {
        var chosen = ReplicaPlacement.Choose(EntityId, Node, members, BackupCount);
        var t = new OwnerTransition(this with { ReplicaHolders = [], Replicas = chosen });
        foreach (var node in chosen.Except(Replicas).Where(n => !ReplicaHolders.Contains(n)))
            t = t.Then(new OwnerEffect.Reconcile(node, CreateIfMissing: true));
        foreach (var node in Replicas.Union(ReplicaHolders).Except(chosen).Where(members.Contains))
            t = t.Then(new OwnerEffect.Release(node));
        return t;
    }

    /// <summary>A graceful stop: release every replica.</summary>
    public OwnerTransition Stop()
    {
        var t = new OwnerTransition(this with { Replicas = [] });
        foreach (var node in Replicas) t = t.Then(new OwnerEffect.Release(node));
        return t;
    }

    // ---- deltas and replica waits ----------------------------------------------------------

    /// <summary>Numbers a delta and sends it to every replica; <c>Seq</c> is 0 (nothing sent) without replicas.</summary>
    public (OwnerTransition Next, long Seq) Delta(IPartitionEvent @event)
    {
        if (Replicas.Count == 0) return (new OwnerTransition(this), 0);
        var seq = DeltaSeq + 1;
        var delta = new ReplicaDelta(EntityId, seq, @event);
        var t = new OwnerTransition(this with { DeltaSeq = seq });
        foreach (var replica in Replicas) t = t.Then(new OwnerEffect.SendDelta(replica, delta));
        return (t, seq);
    }

    /// <summary>The write of delta <paramref name="seq"/> waits for a confirmation until <paramref name="now"/> + the ack timeout.</summary>
    public OwnerTransition AwaitReplica(long seq, bool needsJournal, ReplicaWaitAnswer answer, DateTime now)
    {
        var t = new OwnerTransition(this with { Awaiting = Awaiting.SetItem(seq, new ReplicaWait(answer, needsJournal, now + ReplicaAckTimeout)) });
        if (!Awaiting.IsEmpty) return t;
        var every = ReplicaAckTimeout / 4;
        return t.Then(new OwnerEffect.StartAckTicks(every > TimeSpan.Zero ? every : MinAckTickInterval));
    }

    /// <summary>The event of delta <paramref name="seq"/> is in the journal.</summary>
    public OwnerTransition Journaled(long seq) =>
        Awaiting.TryGetValue(seq, out var wait) ? Settle(seq, wait with { Journaled = true }) : new OwnerTransition(this);

    /// <summary>A replica confirmed delta <paramref name="seq"/>; a repeated or late confirmation changes nothing.</summary>
    public OwnerTransition Acked(long seq) =>
        Awaiting.TryGetValue(seq, out var wait) ? Settle(seq, wait with { Replicated = true }) : new OwnerTransition(this);

    /// <summary>The periodic check: every wait past its deadline times out; the check stops once nothing waits.</summary>
    public OwnerTransition Tick(DateTime now)
    {
        var t = new OwnerTransition(this);
        foreach (var (seq, wait) in Awaiting)
        {
            if (wait.Deadline > now) continue;
            t = t.Then(s => s.Settle(seq, wait with { TimedOut = true }));
        }
        return t.State.Awaiting.IsEmpty ? t.Then(OwnerEffect.StopAckTicks.Instance) : t;
    }

    /// <summary>Ends a wait once <see cref="AckDecision.Settle"/> says so, else keeps what it learned.</summary>
    private OwnerTransition Settle(long seq, ReplicaWait wait)
    {
        if (AckDecision.Settle(wait.Replicated, wait.Journaled, wait.NeedsJournal, wait.TimedOut) is not { } settled)
            return new OwnerTransition(this with { Awaiting = Awaiting.SetItem(seq, wait) });
        var notMet = settled.ConcernMet
            ? null
            : $"Timeout: achieved APPLIED, requested REPLICATED (the op is applied and journaled; no replica confirmed within {(long)ReplicaAckTimeout.TotalMilliseconds} ms)";
        return new OwnerTransition(this with { Awaiting = Awaiting.Remove(seq) })
            .Then(new OwnerEffect.AnswerWrite(seq, wait.Answer, settled.Achieved, notMet));
    }
}
