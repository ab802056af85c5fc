using Akka.Actor;
using Akka.Event;
using Akka.Streams;
using Akka.Streams.Dsl;
using TopGun.Core.Clock;
using TopGun.Server.Maps;

namespace TopGun.Server.Replication;

/// <summary>
/// A non-persistent copy of one map partition on a node other than its owner. Applies the owner's
/// deltas and confirms them (REPLICATED), and compares Merkle trees with the owner every
/// anti-entropy interval, after membership changes and when a delta gap shows: top-down over the
/// tree's buckets (and below its leaves while a differing bucket is too full to list), then pulling and
/// pushing only the records of differing keys over StreamRefs. When its owner dies it is kept for
/// <see cref="ReplicationSettings.OrphanRetention"/> and wakes the partition through the shard region,
/// so the next owner reconciles with it before serving.
/// </summary>
internal sealed class PartitionReplica : ReceiveActor, IWithTimers
{
    private const string TickTimer = "anti-entropy";
    private const string DeadlineTimer = "reconcile-deadline";
    private const string WakeTimer = "wake-owner";
    private const string OrphanTimer = "orphan";

    private readonly string _entityId;
    private readonly string _mapName;
    private readonly string _partition;
    private readonly ReplicationSettings _settings;
    private readonly Hlc _hlc;
    private readonly PartitionState _state;
    private readonly ReplicationStats _stats;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly List<IActorRef> _requesters = [];
    private IActorRef? _owner;
    private long _lastSeq;
    private long _correlation;
    private Round? _round;

    public PartitionReplica(string entityId, ReplicationSettings settings, Hlc hlc)
    {
        _entityId = entityId;
        (_mapName, _partition) = PartitionMessageExtractor.Parse(entityId);
        _settings = settings;
        _hlc = hlc;
        _state = new PartitionState(_mapName, _partition, _partition.Length == 1 ? 16 : 256, hlc);
        _stats = ReplicationStats.Get(Context.System);

        Receive<ReplicaDelta>(OnDelta);
        Receive<ReconcileWithOwner>(r =>
        {
            Adopt(r.Owner);
            _lastSeq = 0;
            _requesters.Add(Sender);
            Start();
        });
        Receive<ReplicaTicks.ReconcileNow>(_ => Start());
        Receive<ReconcileBuckets>(OnBuckets);
        Receive<ReconcileStreams>(OnStreams);
        Receive<ReplicaTicks.StreamInit>(_ => Sender.Tell(ReplicaTicks.StreamAck.Instance));
        Receive<ReplicaTicks.StreamChunk>(c =>
        {
            if (_round?.Id == c.CorrelationId)
            {
                _state.ApplyEvent(c.Event);
                _round.Received += MerkleExchange.RecordCount(c.Event);
            }
            Sender.Tell(ReplicaTicks.StreamAck.Instance);
        });
        Receive<ReplicaTicks.StreamCompleted>(c =>
        {
            if (_round?.Id != c.CorrelationId) return;
            if (c.Inbound) _round.InboundDone = true;
            else _round.OutboundDone = true;
            if (_round.InboundDone && _round.OutboundDone) Finish(true);
        });
        Receive<ReplicaTicks.StreamFailed>(f =>
        {
            if (_round?.Id != f.CorrelationId) return;
            _log.Warning(f.Cause, "Reconciliation stream of replica {0} failed; the next round retries.", _entityId);
            Finish(false);
        });
        Receive<ReplicaTicks.ReconcileTimedOut>(t =>
        {
            if (_round?.Id == t.CorrelationId) Finish(false);
        });
        Receive<ReplicaTicks.GetRoot>(_ => Sender.Tell(new ReplicaTicks.RootReport(_entityId, _state.RootHash)));
        Receive<ReplicaRelease>(_ => Context.Stop(Self));
        Receive<Terminated>(t =>
        {
            if (!t.ActorRef.Equals(_owner)) return;
            _owner = null;
            Finish(false);
            Timers.StartPeriodicTimer(WakeTimer, ReplicaTicks.WakeOwner.Instance, TimeSpan.Zero, WakeInterval);
            Timers.StartSingleTimer(OrphanTimer, ReplicaTicks.OrphanExpired.Instance, _settings.OrphanRetention);
        });
        Receive<ReplicaTicks.WakeOwner>(_ =>
        {
            var regions = MapRegions.Get(Context.System);
            if (regions.IsStarted) regions.Partitions.Tell(new PartitionEnvelope(_mapName, _partition, new GetPartitionRoot(0)), ActorRefs.NoSender);
        });
        Receive<ReplicaTicks.OrphanExpired>(_ =>
        {
            if (_owner is null) Context.Stop(Self);
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private TimeSpan WakeInterval => _settings.AntiEntropyInterval < TimeSpan.FromSeconds(5) ? _settings.AntiEntropyInterval : TimeSpan.FromSeconds(5);

    public static Props Props(string entityId, ReplicationSettings settings, Hlc hlc) =>
        Akka.Actor.Props.Create(() => new PartitionReplica(entityId, settings, hlc));

    protected override void PreStart() =>
        Timers.StartPeriodicTimer(TickTimer, ReplicaTicks.ReconcileNow.Instance, _settings.AntiEntropyInterval);

    private void OnDelta(ReplicaDelta delta)
    {
        if (!Sender.Equals(_owner))
        {
            // A new owner incarnation: its numbering starts over and our copy may predate it.
            Adopt(Sender);
            _lastSeq = 0;
            Self.Tell(ReplicaTicks.ReconcileNow.Instance);
        }
        _state.ApplyEvent(delta.Event);
        Sender.Tell(new ReplicaDeltaAck(_entityId, delta.Seq));
        if (_lastSeq > 0 && delta.Seq > _lastSeq + 1) Self.Tell(ReplicaTicks.ReconcileNow.Instance);
        _lastSeq = Math.Max(_lastSeq, delta.Seq);
    }

    private void Adopt(IActorRef owner)
    {
        if (owner.Equals(_owner)) return;
        if (_owner is not null) Context.Unwatch(_owner);
        _owner = owner;
        Context.Watch(owner);
        Timers.Cancel(WakeTimer);
        Timers.Cancel(OrphanTimer);
    }

    private void Start()
    {
        if (_owner is null || _round is not null)
        {
            if (_owner is null) AnswerRequesters(false, 0, 0);
            return;
        }
        _round = new Round(++_correlation);
        var tree = MerkleExchange.Tree(_state);
        var request = new ReconcileRequest(_round.Id, _state.RootHash, MerkleExchange.Children(tree, _partition));
        _owner.Tell(request);
        _stats.ExchangeRequested(request.Hashes.Count);
        Timers.StartSingleTimer(DeadlineTimer, new ReplicaTicks.ReconcileTimedOut(_round.Id), _settings.ReconcileTimeout);
    }

    private void OnBuckets(ReconcileBuckets buckets)
    {
        if (_round?.Id != buckets.CorrelationId) return;
        var tree = MerkleExchange.Tree(_state);
        var (settled, descend) = MerkleExchange.Narrow(tree, buckets.Differing, buckets.OwnerHashes);
        _round.Settled.AddRange(settled);
        if (descend.Count > 0)
        {
            var narrowing = new ReconcileDescend(_round.Id, descend, MerkleExchange.Children(tree, descend));
            _owner!.Tell(narrowing);
            _stats.ExchangeRequested(narrowing.Parents.Count + narrowing.Hashes.Count);
            return;
        }
        _round.HadDifferences = _round.Settled.Count > 0;
        if (_round.Settled.Count == 0)
        {
            Finish(true);
            return;
        }
        var digests = new ReconcileDigests(_round.Id, _round.Settled, MerkleExchange.Digests(tree, _round.Settled));
        _owner!.Tell(digests);
        _stats.ExchangeRequested(digests.Buckets.Count + digests.Digests.Count);
    }

    private void OnStreams(ReconcileStreams streams)
    {
        if (_round?.Id != streams.CorrelationId) return;
        var id = _round.Id;
        var self = Self;
        var materializer = Context.Materializer();

        streams.FromOwner.Source
            .Select(e => new ReplicaTicks.StreamChunk(id, e))
            .RunWith(Sink.ActorRefWithAck<ReplicaTicks.StreamChunk>(
                self, new ReplicaTicks.StreamInit(id), ReplicaTicks.StreamAck.Instance,
                new ReplicaTicks.StreamCompleted(id, Inbound: true), e => new ReplicaTicks.StreamFailed(id, e)), materializer);

        var outgoing = MerkleExchange.Chunks(_state, streams.WantedKeys, _settings.StreamChunkSize, _hlc.Last);
        var sent = outgoing.Sum(MerkleExchange.RecordCount);
        _round.Sent = sent;
        _stats.Streamed(sent);
        Source.From(outgoing).RunWith(streams.ToOwner.Sink, materializer);
        // The owner's sink side signals nothing back to us; the send is done once the source has been handed over.
        self.Tell(new ReplicaTicks.StreamCompleted(id, Inbound: false));
    }

    private void Finish(bool succeeded)
    {
        if (_round is not { } round) return;
        _round = null;
        Timers.Cancel(DeadlineTimer);
        if (succeeded) _stats.Reconciled(round.HadDifferences);
        AnswerRequesters(succeeded, round.Received, round.Sent);
    }

    private void AnswerRequesters(bool succeeded, int received, int sent)
    {
        foreach (var requester in _requesters) requester.Tell(new ReconcileFinished(_entityId, succeeded, received, sent));
        _requesters.Clear();
    }

    private sealed class Round(long id)
    {
        public long Id { get; } = id;
        public bool HadDifferences { get; set; }
        public bool InboundDone { get; set; }
        public bool OutboundDone { get; set; }
        public int Received { get; set; }
        public int Sent { get; set; }

        /// <summary>Differing buckets narrowed far enough to list, gathered over the round's descents.</summary>
        public List<string> Settled { get; } = [];
    }
}
