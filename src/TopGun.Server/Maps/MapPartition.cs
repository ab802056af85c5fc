using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using Akka.Persistence;
using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Protocol;

namespace TopGun.Server.Maps;

/// <summary>
/// One partition of one map (sharding entity <c>{map}|{partition}</c>, journal stream
/// <c>map|{map}|{partition}</c>). Thin shell around <see cref="PartitionState"/>:
/// <list type="bullet">
/// <item>Ops are merged into memory at once; one event per command records only what changed, written
/// with <c>PersistAsync</c> so the next commands are merged while the journal batches the writes.</item>
/// <item>Replies and <see cref="MapChanged"/> leave from the persist handler: acked and published mean
/// durable (except <c>ack = memory</c> for concerns below PERSISTED, answered right after the merge).
/// A command that changed nothing is answered once every earlier write is durable, since an identical
/// record may still be in flight from another command.</item>
/// <item>A failed or rejected write stops the actor: memory is then ahead of the journal, so it is
/// dropped and rebuilt by recovery. Every write still waiting for the journal is answered first with a
/// <see cref="PartitionCommandRejected"/> (storage unavailable), never acked; its client retries it. The shard
/// starts the partition again on the next message, which recovers from the journal once it is back (a recovery
/// that fails while it is down stops the partition again, and the message after retries).</item>
/// <item>Snapshots every <see cref="MapSettings.SnapshotEvery"/> events. Memory may already hold the
/// effects of writes still in flight when one is taken; the events after it are replayed anyway and
/// every event is an idempotent merge or prune, so recovery ends in the same state.</item>
/// </list>
/// Reads (Merkle, OR entries, queries) answer from memory, which may include writes still in flight; a query page
/// says how far with the journal sequence number of the newest event it holds, which a <see cref="MapChanged"/>
/// carries too, so a live query can tell a change its page already holds from a later one.
/// With replication (a cluster node), every change is also sent to the partition's replicas, and a
/// recovered partition reconciles with them before it serves: <see cref="IOwnerReplication"/>, implemented
/// in <c>Replication/</c> as a pure state machine whose effects it carries out on this actor.
/// </summary>
internal sealed class MapPartition : UntypedPersistentActor, IWithTimers, IReplicatedPartition
{
    private readonly MapSettings _settings;
    private readonly Hlc _hlc;
    private readonly IActorRef? _changeFeed;
    private readonly PartitionState _state;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly PartitionStats _stats = PartitionStats.Get(Context.System);
    private readonly IOwnerReplication? _replication;
    private bool _counted;
    private int _pendingWrites;
    private long _sequenceNr;

    // Writes whose reply waits for the journal (or a replica), by ticket: answered with a rejection if the journal fails.
    private readonly Dictionary<long, (IActorRef ReplyTo, long CorrelationId)> _unanswered = [];
    private long _nextTicket;

    // Commands that arrived while recovering (Akka stashes them internally): refused if the recovery fails, since the
    // stopped partition would drop them and their clients would only learn it from their timeout.
    private List<(IActorRef ReplyTo, long CorrelationId)>? _arrivedDuringRecovery = [];

    public MapPartition(string mapName, string partition, MapSettings settings, Hlc hlc, IActorRef? changeFeed, Func<IReplicatedPartition, IOwnerReplication>? replication = null)
    {
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _hlc = hlc ?? throw new ArgumentNullException(nameof(hlc));
        _changeFeed = changeFeed;
        _state = new PartitionState(mapName, partition, settings.PartitionCount, hlc);
        PersistenceId = PartitionKey.PersistenceId(mapName, partition);
        _replication = replication?.Invoke(this);
    }

    public override string PersistenceId { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="changeFeed">Where <see cref="Publish"/> of <see cref="MapChanged"/> goes: the DistributedPubSub mediator, or a probe in tests; null publishes nothing.</param>
    /// <param name="replication">Gives the partition its owner-side replication (<see cref="IMapReplication"/>); null keeps the partition to itself (single node, or tests).</param>
    public static Props Props(string mapName, string partition, MapSettings settings, Hlc hlc, IActorRef? changeFeed, Func<IReplicatedPartition, IOwnerReplication>? replication = null) =>
        Akka.Actor.Props.Create(() => new MapPartition(mapName, partition, settings, hlc, changeFeed, replication));

    protected override void OnRecover(object message)
    {
        switch (message)
        {
            case SnapshotOffer offer:
                _state.ApplySnapshot(offer.Snapshot);
                break;
            case IPartitionEvent @event:
                _state.ApplyEvent(@event);
                break;
            case RecoveryCompleted:
                _arrivedDuringRecovery = null;
                _sequenceNr = LastSequenceNr;
                _stats.Started();
                _counted = true;
                Timers.StartPeriodicTimer(nameof(PartitionTicks.ExpireTtl), PartitionTicks.ExpireTtl.Instance, _settings.TtlCheckInterval);
                Timers.StartPeriodicTimer(nameof(PartitionTicks.CollectTombstones), PartitionTicks.CollectTombstones.Instance, _settings.TombstoneGcInterval);
                if (_settings.PassivateAfter > TimeSpan.Zero) Context.SetReceiveTimeout(_settings.PassivateAfter);
                _replication?.BeginServing();
                break;
        }
    }

    protected override void OnCommand(object message)
    {
        if (_replication?.Receive(message) == true) return;
        if (!Serving && message is IPartitionCommand or PartitionTicks.Stop)
        {
            // Recovered but not yet reconciled with the replicas: they may hold acknowledged writes the journal lacks.
            Stash.Stash();
            return;
        }
        switch (message)
        {
            case ApplyLwwOps c:
                Write(_state.ApplyLww(c.Ops), c.CorrelationId, c.OriginId, Sender, c.Concern,
                    (update, achieved) => new OpsApplied(c.CorrelationId, update.Outcomes, achieved));
                break;
            case ApplyOrOps c:
                Write(_state.ApplyOr(c.Ops), c.CorrelationId, c.OriginId, Sender, c.Concern,
                    (update, achieved) => new OpsApplied(c.CorrelationId, update.Outcomes, achieved));
                break;
            case MergeOrEntries c when _state.Kind == MapKind.Lww:
                Sender.Tell(new PartitionCommandRejected(c.CorrelationId, $"Map '{_state.MapName}' is an LWW map; OR entries are rejected."));
                break;
            case MergeOrEntries c:
                Write(_state.MergeOrEntries(c.Entries), c.CorrelationId, c.OriginId, Sender, WriteConcern.Persisted,
                    (update, _) => new OrEntriesMerged(c.CorrelationId, update.NewRecords, update.NewTombstones));
                break;
            case GetMerkleNode c:
                var node = _state.ReadMerkleNode(c.CorrelationId, c.Kind, c.Path, out var error);
                Sender.Tell(node is null ? new PartitionCommandRejected(c.CorrelationId, error!) : node);
                break;
            case GetPartitionRoot c:
                Sender.Tell(new PartitionRoot(c.CorrelationId, _state.Partition, _state.RootHash, _state.Kind));
                break;
            case GetOrEntries c when _state.Kind == MapKind.Lww:
                Sender.Tell(new PartitionCommandRejected(c.CorrelationId, $"Map '{_state.MapName}' is an LWW map; it has no OR entries."));
                break;
            case GetOrEntries c:
                Sender.Tell(new OrEntriesResult(c.CorrelationId, _state.ReadOrEntries(c.Keys)));
                break;
            case QueryPartition c:
                Sender.Tell(new PartitionQueryResult(c.CorrelationId, _state.Query(c.Spec, c.NowMillis), _sequenceNr));
                break;
            case PartitionTicks.ExpireTtl:
                Write(_state.ExpireTtl(), 0, "", ActorRefs.Nobody, WriteConcern.Persisted, null);
                break;
            case PartitionTicks.CollectTombstones:
                CollectTombstones();
                break;
            case ReceiveTimeout:
                Context.Parent.Tell(new Passivate(PartitionTicks.Stop.Instance));
                break;
            case PartitionTicks.Stop:
                if (_pendingWrites == 0) StopGracefully();
                else DeferAsync(PartitionTicks.Stop.Instance, _ => StopGracefully());
                break;
            case SaveSnapshotSuccess s:
                // Recovery only ever needs the newest snapshot.
                if (s.Metadata.SequenceNr > 1) DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1));
                break;
            case SaveSnapshotFailure f:
                _log.Warning(f.Cause, "Snapshot of {0} at {1} failed; recovery replays more events until the next one.", PersistenceId, f.Metadata.SequenceNr);
                break;
            case DeleteSnapshotsSuccess or DeleteSnapshotsFailure:
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void Write(PartitionUpdate update, long correlationId, string originId, IActorRef replyTo, WriteConcern concern, Func<PartitionUpdate, WriteConcern, object>? reply)
    {
        var seq = update.Event is { } delta ? SendDelta(delta) : 0;
        var plan = reply is null ? AckPlan.NoReply : AckDecision.Plan(concern, _settings.Ack, changed: update.Event is not null, replicaSent: seq > 0);
        if (plan.Wait == AckWait.Now) replyTo.Tell(reply!(update, plan.Achieved));

        if (update.Event is not { } @event)
        {
            if (plan.Wait != AckWait.EarlierWrites) return;
            var answer = reply!(update, plan.Achieved);
            if (_pendingWrites == 0)
            {
                replyTo.Tell(answer);
                return;
            }
            var deferred = AwaitJournal(replyTo, correlationId);
            DeferAsync(answer, a =>
            {
                _unanswered.Remove(deferred);
                replyTo.Tell(a);
            });
            return;
        }

        var persistedReply = plan.Wait == AckWait.Journal ? reply!(update, plan.Achieved) : null;
        var waitsForReplica = plan.Wait == AckWait.Replica;
        var ticket = persistedReply is not null || waitsForReplica ? AwaitJournal(replyTo, correlationId) : 0;
        if (waitsForReplica)
        {
            _replication!.AwaitReplica(seq, plan.ReplicaNeedsJournal, (achieved, notMet) =>
            {
                if (!_unanswered.Remove(ticket)) return;
                AnswerReplicaWait(replyTo, reply!(update, achieved), notMet);
            });
        }
        var sequenceNr = NextSequenceNr();
        var changed = update.Changes.Count > 0 ? new MapChanged(_state.MapName, originId, update.Changes, ServerTime(@event), sequenceNr) : null;
        _pendingWrites++;
        PersistAsync(@event, _ =>
        {
            _pendingWrites--;
            if (persistedReply is not null && _unanswered.Remove(ticket)) replyTo.Tell(persistedReply);
            if (waitsForReplica) _replication!.Journaled(seq);
            if (changed is not null) _changeFeed?.Tell(new Publish(MapChanged.Topic(_state.MapName), changed));
            _stats.Persisted(update.Changes.Count);
            MaybeSnapshot();
        });
    }

    private long AwaitJournal(IActorRef replyTo, long correlationId)
    {
        var ticket = ++_nextTicket;
        _unanswered[ticket] = (replyTo, correlationId);
        return ticket;
    }

    /// <summary>The journal failed: whatever waited for it is refused (it may or may not be stored; retrying is harmless).</summary>
    private void RejectUnanswered(string reason)
    {
        foreach (var (replyTo, correlationId) in _unanswered.Values)
            replyTo.Tell(new PartitionCommandRejected(correlationId, reason));
        _unanswered.Clear();
    }

    /// <summary>
    /// The sequence number the journal gives the event persisted next, one per event in call order. Counted here
    /// because <see cref="Eventsourced.LastSequenceNr"/> only moves once a write succeeded, and memory (what a query
    /// page is answered from) is ahead by the writes in flight. Call it exactly once per persisted event.
    /// </summary>
    private long NextSequenceNr() => ++_sequenceNr;

    private bool Serving => _replication?.IsServing ?? true;

    private long SendDelta(IPartitionEvent @event) => _replication?.SendDelta(@event) ?? 0;

    private static void AnswerReplicaWait(IActorRef replyTo, object answer, string? concernNotMet) =>
        replyTo.Tell(concernNotMet is not null && answer is OpsApplied applied ? applied with { ConcernNotMet = concernNotMet } : answer);

    private void CollectTombstones()
    {
        var horizon = _hlc.WallMillis() - (long)_settings.TombstoneGcAge.TotalMilliseconds;
        if (horizon <= 0 || _state.PruneTombstones(new Timestamp(horizon, 0, "")) is not { } pruned) return;
        SendDelta(pruned);
        NextSequenceNr();
        _pendingWrites++;
        PersistAsync(pruned, _ =>
        {
            _pendingWrites--;
            _stats.Persisted(0);
            MaybeSnapshot();
        });
    }

    private void MaybeSnapshot()
    {
        if (LastSequenceNr % _settings.SnapshotEvery == 0 && _state.ToSnapshot() is { } snapshot) SaveSnapshot(snapshot);
    }

    private void StopGracefully()
    {
        _replication?.ReleaseReplicas();
        Context.Stop(Self);
    }

    protected override void PostStop()
    {
        if (_counted) _stats.Stopped();
        _replication?.Stopped();
        base.PostStop();
    }

    protected override bool AroundReceive(Receive receive, object message)
    {
        if (_arrivedDuringRecovery is not null && !IsRecoveryFinished && message is IPartitionCommand command)
            _arrivedDuringRecovery.Add((Sender, command.CorrelationId));
        return base.AroundReceive(receive, message);
    }

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        if (_arrivedDuringRecovery is { } waiting)
        {
            var error = $"Storage unavailable: recovering the partition from the journal failed ({Innermost(reason)}); the op was not applied, retry it";
            foreach (var (replyTo, correlationId) in waiting) replyTo.Tell(new PartitionCommandRejected(correlationId, error));
            _arrivedDuringRecovery = null;
        }
        base.OnRecoveryFailure(reason, message);
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _stats.PersistFailed();
        RejectUnanswered($"Storage unavailable: the journal write failed ({Innermost(cause)}); the op is not acknowledged, retry it");
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        _stats.PersistFailed();
        RejectUnanswered($"Storage rejected the write ({Innermost(cause)}); the op is not acknowledged");
        base.OnPersistRejected(cause, @event, sequenceNr);
        // Memory already holds the rejected change: drop it and rebuild from the journal.
        Context.Stop(Self);
    }

    private static string Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e.Message;
    }

    PartitionState IReplicatedPartition.State => _state;

    Hlc IReplicatedPartition.Clock => _hlc;

    IActorContext IReplicatedPartition.Context => Context;

    void IReplicatedPartition.MergeFromReplica(PartitionUpdate update) => Write(update, 0, "", ActorRefs.Nobody, WriteConcern.Persisted, null);

    void IReplicatedPartition.Unstash() => Stash.UnstashAll();

    private static Timestamp ServerTime(IPartitionEvent @event) => @event switch
    {
        LwwRecordsMerged m => m.ServerTime,
        OrChangesMerged m => m.ServerTime,
        _ => default,
    };
}
