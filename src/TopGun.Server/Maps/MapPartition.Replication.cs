using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Akka.Streams;
using Akka.Streams.Dsl;
using TopGun.Core.Protocol;
using TopGun.Server.Replication;
using static Akka.Cluster.ClusterEvent;

namespace TopGun.Server.Maps;

/// <summary>
/// The owner's side of replication: replica placement, deltas, REPLICATED acks, answering anti-entropy
/// rounds, and reconciling with every replica after recovery before serving clients.
/// </summary>
public sealed partial class MapPartition
{
    private const string ReconcileDeadlineTimer = "reconcile-before-serving";
    private const string ReplicaAckTimer = "replica-ack-timeout";

    private readonly PartitionReplication? _replication;
    private readonly Dictionary<long, PendingReplicated> _awaitingReplica = [];
    private readonly HashSet<Address> _reconcilePending = [];
    private readonly HashSet<Address> _replicaHolders = [];
    private IReadOnlyList<Address> _replicas = [];
    private bool _serving;
    private long _deltaSeq;
    private long _streamSeq;
    private int _openInbound;

    private string EntityId => PartitionKey.EntityId(_state.MapName, _state.Partition);

    /// <summary>After recovery: ask every member's replica host to reconcile its copy with us, then serve.</summary>
    private void BeginServing()
    {
        if (_replication is null)
        {
            _serving = true;
            return;
        }
        var cluster = Cluster.Get(Context.System);
        cluster.Subscribe(Self, InitialStateAsSnapshot, typeof(IMemberEvent), typeof(IReachabilityEvent));
        foreach (var member in PartitionReplication.ReachableMembers(cluster))
        {
            _reconcilePending.Add(member);
            _replication.HostAt(member).Tell(new ReconcileWithOwner(EntityId, Self, CreateIfMissing: false));
        }
        Timers.StartSingleTimer(ReconcileDeadlineTimer, ReplicationDeadline.Instance, _replication.Settings.ReconcileTimeout);
        MaybeServe();
    }

    private void MaybeServe()
    {
        if (_serving || _reconcilePending.Count > 0 || _openInbound > 0) return;
        StartServing();
    }

    private void StartServing()
    {
        if (_serving) return;
        _serving = true;
        Timers.Cancel(ReconcileDeadlineTimer);
        UpdatePlacement();
        Stash.UnstashAll();
    }

    /// <summary>Messages of the replication protocol; false for everything else.</summary>
    private bool OnReplicationMessage(object message)
    {
        switch (message)
        {
            case NoReplica:
                _reconcilePending.Remove(SenderNode());
                MaybeServe();
                return true;
            case ReconcileFinished f:
                var node = SenderNode();
                if (_reconcilePending.Remove(node)) _replicaHolders.Add(node);
                if (!f.Succeeded) _log.Warning("Replica of {0} on {1} did not finish reconciling.", EntityId, node);
                MaybeServe();
                return true;
            case ReplicationDeadline:
                if (!_serving)
                    _log.Warning("Partition {0} serves without hearing from replicas on {1} within the reconcile timeout.", EntityId, string.Join(", ", _reconcilePending));
                _reconcilePending.Clear();
                _openInbound = 0;
                StartServing();
                return true;
            case ReplicaDeltaAck ack:
                if (_awaitingReplica.TryGetValue(ack.Seq, out var pending))
                {
                    pending.Replicated = true;
                    TryAnswer(ack.Seq, pending);
                }
                return true;
            case ReplicaAckCheck:
                var now = DateTime.UtcNow;
                foreach (var (seq, p) in _awaitingReplica.ToArray())
                {
                    if (p.Deadline > now) continue;
                    p.TimedOut = true;
                    TryAnswer(seq, p);
                }
                if (_awaitingReplica.Count == 0) Timers.Cancel(ReplicaAckTimer);
                return true;
            case ReconcileRequest q:
                OnReconcileRequest(q);
                return true;
            case ReconcileDescend d:
                var (descendDiffering, descendBelow) = MerkleExchange.CompareChildren(MerkleExchange.Tree(_state), d.Parents, d.Hashes);
                Sender.Tell(new ReconcileBuckets(d.CorrelationId, descendDiffering, descendBelow));
                _replication!.Stats.ExchangeAnswered(descendDiffering.Count + descendBelow.Count);
                return true;
            case ReconcileDigests d:
                OnReconcileDigests(d);
                return true;
            case ReplicaTicks.StreamInit:
                Sender.Tell(ReplicaTicks.StreamAck.Instance);
                return true;
            case ReplicaTicks.StreamChunk c:
                var update = MerkleExchange.MergeIntoOwner(_state, c.Event);
                Write(update, "", ActorRefs.Nobody, WriteConcern.Persisted, null);
                Sender.Tell(ReplicaTicks.StreamAck.Instance);
                return true;
            case ReplicaTicks.StreamCompleted:
                _openInbound = Math.Max(0, _openInbound - 1);
                MaybeServe();
                return true;
            case ReplicaTicks.StreamFailed f:
                _log.Warning(f.Cause, "Records from a replica of {0} did not all arrive; the next anti-entropy round retries.", EntityId);
                _openInbound = Math.Max(0, _openInbound - 1);
                MaybeServe();
                return true;
            case IMemberEvent or IReachabilityEvent:
                if (_serving) UpdatePlacement();
                return true;
            case CurrentClusterState:
                return true;
            default:
                return false;
        }
    }

    private void OnReconcileRequest(ReconcileRequest request)
    {
        if (request.Root == _state.RootHash)
        {
            Sender.Tell(new ReconcileBuckets(request.CorrelationId, [], new Dictionary<string, uint>()));
            return;
        }
        var (differing, below) = MerkleExchange.CompareChildren(MerkleExchange.Tree(_state), _state.Partition, request.Hashes);
        Sender.Tell(new ReconcileBuckets(request.CorrelationId, differing, below));
        _replication!.Stats.ExchangeAnswered(differing.Count + below.Count);
    }

    private void OnReconcileDigests(ReconcileDigests request)
    {
        var tree = MerkleExchange.Tree(_state);
        var (send, want) = MerkleExchange.CompareDigests(MerkleExchange.Digests(tree, request.Buckets), request.Digests);
        var events = MerkleExchange.Chunks(_state, send, _replication!.Settings.StreamChunkSize, _hlc.Last);
        _replication.Stats.Streamed(events.Sum(MerkleExchange.RecordCount));

        var materializer = Context.Materializer();
        var id = ++_streamSeq;
        var sourceRef = Source.From(events).RunWith(StreamRefs.SourceRef<IPartitionEvent>(), materializer);
        var sinkRef = StreamRefs.SinkRef<IPartitionEvent>()
            .Select(e => new ReplicaTicks.StreamChunk(id, e))
            .To(Sink.ActorRefWithAck<ReplicaTicks.StreamChunk>(
                Self, new ReplicaTicks.StreamInit(id), ReplicaTicks.StreamAck.Instance,
                new ReplicaTicks.StreamCompleted(id, Inbound: true), e => new ReplicaTicks.StreamFailed(id, e)))
            .Run(materializer);
        _openInbound++;
        var correlationId = request.CorrelationId;
        Task.WhenAll(sourceRef, sinkRef)
            .ContinueWith(t => t.IsCompletedSuccessfully
                ? new ReconcileStreams(correlationId, sourceRef.Result, sinkRef.Result, want)
                : (object)new Status.Failure(t.Exception!))
            .PipeTo(Sender);
    }

    /// <summary>Sends a delta to every replica; returns its number, or 0 when there is no replica to send to.</summary>
    private long SendDelta(IPartitionEvent @event)
    {
        if (_replication is null || _replicas.Count == 0) return 0;
        var seq = ++_deltaSeq;
        if (_replication.Hooks.DropDeltas)
        {
            _replication.Stats.DeltaDropped();
            return seq;
        }
        var delta = new ReplicaDelta(EntityId, seq, @event);
        foreach (var replica in _replicas)
        {
            _replication.HostAt(replica).Tell(delta, Self);
            _replication.Stats.DeltaSent();
        }
        return seq;
    }

    private void AwaitReplica(long seq, PendingReplicated pending)
    {
        if (_awaitingReplica.Count == 0)
        {
            var every = _replication!.Settings.ReplicaAckTimeout / 4;
            Timers.StartPeriodicTimer(ReplicaAckTimer, ReplicaAckCheck.Instance, every > TimeSpan.Zero ? every : TimeSpan.FromMilliseconds(100));
        }
        _awaitingReplica[seq] = pending;
    }

    private void Journaled(long seq)
    {
        if (_awaitingReplica.TryGetValue(seq, out var pending))
        {
            pending.Journaled = true;
            TryAnswer(seq, pending);
        }
    }

    /// <summary>Answers a replica wait once <see cref="AckDecision.Settle"/> says it has ended.</summary>
    private void TryAnswer(long seq, PendingReplicated pending)
    {
        if (AckDecision.Settle(pending.Replicated, pending.Journaled, pending.NeedsJournal, pending.TimedOut) is not { } settled) return;
        _awaitingReplica.Remove(seq);
        var answer = pending.Reply(settled.Achieved);
        if (settled.ConcernMet || answer is not OpsApplied applied)
        {
            pending.ReplyTo.Tell(answer);
            return;
        }
        var timeout = (long)_replication!.Settings.ReplicaAckTimeout.TotalMilliseconds;
        pending.ReplyTo.Tell(applied with { ConcernNotMet = $"Timeout: achieved APPLIED, requested REPLICATED (the op is applied and journaled; no replica confirmed within {timeout} ms)" });
    }

    private void UpdatePlacement()
    {
        if (_replication is null) return;
        var cluster = Cluster.Get(Context.System);
        var members = PartitionReplication.ReachableMembers(cluster);
        var chosen = ReplicaPlacement.Choose(EntityId, cluster.SelfAddress, members, _replication.Settings.BackupCount);
        foreach (var node in chosen.Except(_replicas).Where(n => !_replicaHolders.Contains(n)))
            _replication.HostAt(node).Tell(new ReconcileWithOwner(EntityId, Self, CreateIfMissing: true), Self);
        foreach (var node in _replicas.Union(_replicaHolders).Except(chosen).Where(members.Contains))
            _replication.HostAt(node).Tell(new ReplicaRelease(EntityId), Self);
        _replicaHolders.Clear();
        _replicas = chosen;
    }

    /// <summary>On a graceful stop the journal holds everything: the replicas can go.</summary>
    private void ReleaseReplicas()
    {
        if (_replication is null) return;
        foreach (var node in _replicas) _replication.HostAt(node).Tell(new ReplicaRelease(EntityId), Self);
        _replicas = [];
    }

    private Address SenderNode()
    {
        var address = Sender.Path.Address;
        return address.HasLocalScope ? Cluster.Get(Context.System).SelfAddress : address;
    }

    private sealed record ReplicationDeadline
    {
        public static readonly ReplicationDeadline Instance = new();
    }

    private sealed record ReplicaAckCheck : INotInfluenceReceiveTimeout
    {
        public static readonly ReplicaAckCheck Instance = new();
    }

    private sealed class PendingReplicated(Func<WriteConcern, object> reply, IActorRef replyTo, bool needsJournal, DateTime deadline)
    {
        public Func<WriteConcern, object> Reply { get; } = reply;
        public IActorRef ReplyTo { get; } = replyTo;
        public bool NeedsJournal { get; } = needsJournal;
        public DateTime Deadline { get; } = deadline;
        public bool Journaled { get; set; }
        public bool Replicated { get; set; }
        public bool TimedOut { get; set; }
    }
}
