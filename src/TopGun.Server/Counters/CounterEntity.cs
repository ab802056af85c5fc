using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;
using TopGun.Core.Crdt;

namespace TopGun.Server.Counters;

/// <summary>
/// One PN counter (sharded entity of type "counter", persistence id <c>counter|name</c>). Merges are group
/// committed: while one <see cref="CounterMerged"/> is being written, further syncs are merged into the next
/// batch, so a hot counter costs one journal write per round trip, not one per sync. A sync is answered only
/// after its batch is durable, and every other subscriber then gets the new state.
/// Subscribers are the connection-side <see cref="CounterSubscriptions"/> actors that read or synced the counter;
/// they are death-watched here, and they watch this entity and subscribe again when it moves or restarts. That
/// keeps delivery exact (the reply to a request and the subscription are one step, no pub-sub gossip window)
/// at the price of one resubscribe round per subscriber after a hand-off.
/// </summary>
internal sealed class CounterEntity : UntypedPersistentActor
{
    private readonly CounterSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly HashSet<IActorRef> _subscribers = [];
    private readonly List<(IActorRef ReplyTo, long CorrelationId)> _waiting = [];
    private PnCounterState _state = PnCounterState.Empty;
    private PnCounterState _accepted = PnCounterState.Empty;
    private bool _writing;
    private bool _stopping;

    public CounterEntity(string name, CounterSettings settings)
    {
        Name = name;
        _settings = settings;
        PersistenceId = "counter|" + name;
    }

    public string Name { get; }

    public override string PersistenceId { get; }

    public static Props Props(string name, CounterSettings settings) =>
        Akka.Actor.Props.Create(() => new CounterEntity(name, settings));

    protected override void OnRecover(object message)
    {
        switch (message)
        {
            case SnapshotOffer { Snapshot: CounterSnapshot snapshot }:
                _state = snapshot.State;
                break;
            case CounterMerged merged:
                _state = _state.Merge(merged.Grown);
                break;
            case RecoveryCompleted:
                _accepted = _state;
                if (_settings.PassivateAfter > TimeSpan.Zero) Context.SetReceiveTimeout(_settings.PassivateAfter);
                break;
        }
    }

    protected override void OnCommand(object message)
    {
        switch (message)
        {
            case GetCounter get:
                Subscribe(Sender);
                Sender.Tell(new CounterRead(Name, get.CorrelationId, _state));
                break;
            case SyncCounter sync:
                OnSync(sync);
                break;
            case Terminated terminated:
                _subscribers.Remove(terminated.ActorRef);
                break;
            case ReceiveTimeout:
                // Subscribers hold on to this incarnation; passivating under them would only make them resubscribe.
                if (_subscribers.Count == 0 && !_writing && _waiting.Count == 0)
                    Context.Parent.Tell(new Passivate(CounterStop.Instance));
                break;
            case CounterStop:
                if (_writing || _waiting.Count > 0) _stopping = true;
                else Context.Stop(Self);
                break;
            case SaveSnapshotSuccess saved:
                if (saved.Metadata.SequenceNr > 1) DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1));
                break;
            case SaveSnapshotFailure failed:
                _log.Warning("Counter {0}: snapshot failed, recovery replays more events: {1}", Name, failed.Cause.Message);
                break;
            case DeleteSnapshotsSuccess or DeleteSnapshotsFailure:
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void OnSync(SyncCounter sync)
    {
        var merged = _accepted.Merge(sync.State);
        if (merged.P.Count > _settings.MaxEntries || merged.N.Count > _settings.MaxEntries)
        {
            Sender.Tell(new CounterRejected(Name, sync.CorrelationId,
                $"counter '{Name}' would hold more than {_settings.MaxEntries} node entries per side"));
            return;
        }
        Subscribe(Sender);
        if (!_writing && merged.Equals(_state))
        {
            Sender.Tell(new CounterSynced(Name, sync.CorrelationId, _state));
            return;
        }
        _accepted = merged;
        _waiting.Add((Sender, sync.CorrelationId));
        if (!_writing) Flush();
    }

    private void Flush()
    {
        var waiters = _waiting.ToArray();
        _waiting.Clear();
        var grown = Grown(_state, _accepted);
        if (grown.P.Count == 0 && grown.N.Count == 0)
        {
            Answer(waiters, changed: false);
            if (_stopping) Context.Stop(Self);
            return;
        }
        _writing = true;
        // PersistAsync keeps commands flowing during the write; they gather in _waiting for the next batch.
        PersistAsync(new CounterMerged(grown), e =>
        {
            _state = _state.Merge(e.Grown);
            _writing = false;
            Answer(waiters, changed: true);
            if (LastSequenceNr % _settings.SnapshotEvery == 0) SaveSnapshot(new CounterSnapshot(_state));
            if (_waiting.Count > 0) Flush();
            else if (_stopping) Context.Stop(Self);
        });
    }

    private void Answer((IActorRef ReplyTo, long CorrelationId)[] waiters, bool changed)
    {
        foreach (var (replyTo, correlationId) in waiters)
            replyTo.Tell(new CounterSynced(Name, correlationId, _state));
        if (!changed) return;
        var update = new CounterChanged(Name, _state);
        foreach (var subscriber in _subscribers)
        {
            if (Array.Exists(waiters, w => w.ReplyTo.Equals(subscriber))) continue;
            subscriber.Tell(update);
        }
    }

    private void Subscribe(IActorRef subscriber)
    {
        if (subscriber.IsNobody() || !_subscribers.Add(subscriber)) return;
        Context.Watch(subscriber);
    }

    /// <summary>The entries of <paramref name="next"/> that are above <paramref name="current"/>: what a batch adds.</summary>
    private static PnCounterState Grown(PnCounterState current, PnCounterState next) =>
        new(Above(next.P, current.P), Above(next.N, current.N));

    private static IEnumerable<KeyValuePair<string, double>> Above(IReadOnlyDictionary<string, double> next, IReadOnlyDictionary<string, double> current) =>
        next.Where(e => !current.TryGetValue(e.Key, out var mine) || e.Value > mine);

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        // The waiting syncs are not answered: their connections time out and tell their clients, nothing is acked undurably.
        _log.Error(cause, "Counter {0}: journal write failed at sequence {1}; stopping", Name, sequenceNr);
        base.OnPersistFailure(cause, @event, sequenceNr);
    }
}
