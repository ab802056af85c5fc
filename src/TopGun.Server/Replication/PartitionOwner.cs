using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Akka.Streams;
using Akka.Streams.Dsl;
using TopGun.Core.Protocol;
using TopGun.Server.Maps;
using static Akka.Cluster.ClusterEvent;

namespace TopGun.Server.Replication;

/// <summary>
/// The owner's side of replication inside a <see cref="MapPartition"/>: feeds the partition's events and the
/// replication protocol's messages to the pure <see cref="OwnerReplication"/> and carries out its effects
/// (sends, timers, answers), and answers the anti-entropy rounds of replicas from the partition's state
/// (<see cref="MerkleExchange"/>), streaming records both ways. Runs on the partition's thread only.
/// </summary>
internal sealed class PartitionOwner : IOwnerReplication
{
    private const string ReconcileDeadlineTimer = "reconcile-before-serving";
    private const string ReplicaAckTimer = "replica-ack-timeout";

    private readonly IReplicatedPartition _partition;
    private readonly IActorContext _context;
    private readonly PartitionReplication _replication;
    private readonly Cluster _cluster;
    private readonly ILoggingAdapter _log;
    private OwnerReplication _state;
    private long _streamSeq;

    public PartitionOwner(IReplicatedPartition partition, PartitionReplication replication)
    {
        _partition = partition;
        _context = partition.Context;
        _replication = replication;
        _cluster = Cluster.Get(_context.System);
        _log = _context.GetLogger();
        _state = OwnerReplication.Create(PartitionKey.EntityId(partition.State.MapName, partition.State.Partition), _cluster.SelfAddress, replication.Settings);
    }

    public bool IsServing => _state.Serving;

    private string EntityId => _state.EntityId;

    private IActorRef Self => _context.Self;

    private IActorRef Sender => _context.Sender;

    private PartitionState State => _partition.State;

    public void BeginServing()
    {
        _cluster.Subscribe(Self, InitialStateAsSnapshot, typeof(IMemberEvent), typeof(IReachabilityEvent));
        Run(_state.Begin(Members()));
    }

    public bool Receive(object message)
    {
        switch (message)
        {
            case NoReplica:
                Run(_state.NoReplica(SenderNode(), Members()));
                return true;
            case ReconcileFinished f:
                var node = SenderNode();
                if (!f.Succeeded) _log.Warning("Replica of {0} on {1} did not finish reconciling.", EntityId, node);
                Run(_state.ReconcileFinished(node, Members()));
                return true;
            case ReplicaTicks.ReconcileDeadline:
                if (!_state.Serving)
                    _log.Warning("Partition {0} serves without hearing from replicas on {1} within the reconcile timeout.", EntityId, string.Join(", ", _state.ReconcilePending));
                Run(_state.ReconcileDeadlinePassed(Members()));
                return true;
            case ReplicaDeltaAck ack:
                Run(_state.Acked(ack.Seq));
                return true;
            case ReplicaTicks.ReplicaAckCheck:
                Run(_state.Tick(DateTime.UtcNow));
                return true;
            case ReconcileRequest q:
                OnReconcileRequest(q);
                return true;
            case ReconcileDescend d:
                var (descendDiffering, descendBelow) = MerkleExchange.CompareChildren(MerkleExchange.Tree(State), d.Parents, d.Hashes);
                Sender.Tell(new ReconcileBuckets(d.CorrelationId, descendDiffering, descendBelow));
                _replication.Stats.ExchangeAnswered(descendDiffering.Count + descendBelow.Count);
                return true;
            case ReconcileDigests d:
                OnReconcileDigests(d);
                return true;
            case ReplicaTicks.StreamInit:
                Sender.Tell(ReplicaTicks.StreamAck.Instance);
                return true;
            case ReplicaTicks.StreamChunk c:
                _partition.MergeFromReplica(MerkleExchange.MergeIntoOwner(State, c.Event));
                Sender.Tell(ReplicaTicks.StreamAck.Instance);
                return true;
            case ReplicaTicks.StreamCompleted:
                Run(_state.InboundClosed(Members()));
                return true;
            case ReplicaTicks.StreamFailed f:
                _log.Warning(f.Cause, "Records from a replica of {0} did not all arrive; the next anti-entropy round retries.", EntityId);
                Run(_state.InboundClosed(Members()));
                return true;
            case IMemberEvent or IReachabilityEvent:
                if (_state.Serving) Run(_state.MembershipChanged(Members()));
                return true;
            case CurrentClusterState:
                return true;
            default:
                return false;
        }
    }

    public long SendDelta(IPartitionEvent @event)
    {
        var (next, seq) = _state.Delta(@event);
        Run(next);
        return seq;
    }

    public void AwaitReplica(long seq, bool needsJournal, ReplicaWaitAnswer answer) =>
        Run(_state.AwaitReplica(seq, needsJournal, answer, DateTime.UtcNow));

    public void Journaled(long seq) => Run(_state.Journaled(seq));

    public void ReleaseReplicas() => Run(_state.Stop());

    public void Stopped() => _cluster.Unsubscribe(Self);

    private void Run(OwnerTransition transition)
    {
        _state = transition.State;
        foreach (var effect in transition.Effects)
        {
            switch (effect)
            {
                case OwnerEffect.SendDelta s:
                    _replication.Deltas.Send(_replication.HostAt(s.Node), s.Delta, Self);
                    _replication.Stats.DeltaSent();
                    break;
                case OwnerEffect.Reconcile r:
                    _replication.HostAt(r.Node).Tell(new ReconcileWithOwner(EntityId, Self, r.CreateIfMissing), Self);
                    break;
                case OwnerEffect.Release r:
                    _replication.HostAt(r.Node).Tell(new ReplicaRelease(EntityId), Self);
                    break;
                case OwnerEffect.AnswerWrite a:
                    a.Answer(a.Achieved, a.ConcernNotMet);
                    break;
                case OwnerEffect.StartAckTicks t:
                    _partition.Timers.StartPeriodicTimer(ReplicaAckTimer, ReplicaTicks.ReplicaAckCheck.Instance, t.Every);
                    break;
                case OwnerEffect.StopAckTicks:
                    _partition.Timers.Cancel(ReplicaAckTimer);
                    break;
                case OwnerEffect.StartReconcileDeadline d:
                    _partition.Timers.StartSingleTimer(ReconcileDeadlineTimer, ReplicaTicks.ReconcileDeadline.Instance, d.After);
                    break;
                case OwnerEffect.CancelReconcileDeadline:
                    _partition.Timers.Cancel(ReconcileDeadlineTimer);
                    break;
                case OwnerEffect.Serve:
                    _partition.Unstash();
                    break;
            }
        }
    }

    private void OnReconcileRequest(ReconcileRequest request)
    {
        if (request.Root == State.RootHash)
        {
            Sender.Tell(new ReconcileBuckets(request.CorrelationId, [], new Dictionary<string, uint>()));
            return;
        }
        var (differing, below) = MerkleExchange.CompareChildren(MerkleExchange.Tree(State), State.Partition, request.Hashes);
        Sender.Tell(new ReconcileBuckets(request.CorrelationId, differing, below));
        _replication.Stats.ExchangeAnswered(differing.Count + below.Count);
    }

    private void OnReconcileDigests(ReconcileDigests request)
    {
        var tree = MerkleExchange.Tree(State);
        var (send, want) = MerkleExchange.CompareDigests(MerkleExchange.Digests(tree, request.Buckets), request.Digests);
        var events = MerkleExchange.Chunks(State, send, _replication.Settings.StreamChunkSize, _partition.Clock.Last);
        _replication.Stats.Streamed(events.Sum(MerkleExchange.RecordCount));

        var materializer = _context.Materializer();
        var id = ++_streamSeq;
        var self = Self;
        var sourceRef = Source.From(events).RunWith(StreamRefs.SourceRef<IPartitionEvent>(), materializer);
        var sinkRef = StreamRefs.SinkRef<IPartitionEvent>()
            .Select(e => new ReplicaTicks.StreamChunk(id, e))
            .To(Sink.ActorRefWithAck<ReplicaTicks.StreamChunk>(
                self, new ReplicaTicks.StreamInit(id), ReplicaTicks.StreamAck.Instance,
                new ReplicaTicks.StreamCompleted(id, Inbound: true), e => new ReplicaTicks.StreamFailed(id, e)))
            .Run(materializer);
        Run(_state.InboundOpened());
        var correlationId = request.CorrelationId;
        Task.WhenAll(sourceRef, sinkRef)
            .ContinueWith(t => t.IsCompletedSuccessfully
                ? new ReconcileStreams(correlationId, sourceRef.Result, sinkRef.Result, want)
                : (object)new Status.Failure(t.Exception!))
            .PipeTo(Sender);
    }

    private IReadOnlyList<Address> Members() => PartitionReplication.ReachableMembers(_cluster);

    private Address SenderNode()
    {
        var address = Sender.Path.Address;
        return address.HasLocalScope ? _cluster.SelfAddress : address;
    }
}
