using Akka.Actor;
using TopGun.Core.Crdt;
using TopGun.Core.Protocol;
using TopGun.Server.Clients;

namespace TopGun.Server.Counters;

/// <summary>
/// The counter side of one client connection, a child of its <c>ConnectionActor</c> (whose <see cref="CounterRoute"/> validates and
/// authorizes first): sends reads and syncs to the counter entities, turns their answers and pushes into
/// COUNTER_RESPONSE / COUNTER_UPDATE on the client's channel, and keeps the client subscribed when an entity
/// moves (hand-off, failover) by watching it and reading the counter again. Its own actor, so that entity
/// replies, pushes and deaths do not add cases to the connection's receive loop.
/// </summary>
internal sealed class CounterSubscriptions : UntypedActor, IWithTimers
{
    private readonly IClientChannel _channel;
    private readonly IActorRef _region;
    private readonly CounterSettings _settings;
    private readonly Dictionary<long, Pending> _pending = [];
    private readonly Dictionary<string, Subscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly Dictionary<IActorRef, HashSet<string>> _byEntity = [];
    private long _nextId;

    public CounterSubscriptions(IClientChannel channel, IActorRef region, CounterSettings settings)
    {
        _channel = channel;
        _region = region;
        _settings = settings;
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IClientChannel channel, IActorRef region, CounterSettings settings) =>
        Akka.Actor.Props.Create(() => new CounterSubscriptions(channel, region, settings));

    /// <summary>COUNTER_REQUEST, already validated and authorized.</summary>
    public sealed record Request(string Name);

    /// <summary>COUNTER_SYNC, already validated and authorized.</summary>
    public sealed record Sync(string Name, PnCounterState State);

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case Request request:
                if (MaySubscribe(request.Name)) Send(request.Name, Kind.Request, id => new GetCounter(id));
                break;
            case Sync sync:
                if (MaySubscribe(sync.Name)) Send(sync.Name, Kind.Sync, id => new SyncCounter(id, sync.State));
                break;
            case CounterRead read:
                OnRead(read);
                break;
            case CounterSynced synced:
                if (!Complete(synced.CorrelationId, out _)) break;
                Track(synced.Name, synced.State);
                _channel.Send(new CounterUpdateMessage(synced.Name, ToPayload(synced.State)));
                break;
            case CounterChanged changed:
                if (!_subscriptions.TryGetValue(changed.Name, out var subscription)) break;
                subscription.Last = changed.State;
                _channel.Send(new CounterUpdateMessage(changed.Name, ToPayload(changed.State)));
                break;
            case CounterRejected rejected:
                if (Complete(rejected.CorrelationId, out _)) _channel.Send(ServerErrors.InvalidCounterState(rejected.Reason));
                break;
            case Terminated terminated:
                OnEntityGone(terminated.ActorRef);
                break;
            case TimedOut timedOut:
                OnTimedOut(timedOut.CorrelationId);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private bool MaySubscribe(string name)
    {
        if (_subscriptions.ContainsKey(name) || _subscriptions.Count + PendingNames() < _settings.MaxSubscriptionsPerClient) return true;
        _channel.Send(ServerErrors.TooManyCounterSubscriptions(_settings.MaxSubscriptionsPerClient));
        return false;
    }

    private int PendingNames() => _pending.Values.Select(p => p.Name).Where(n => !_subscriptions.ContainsKey(n)).Distinct(StringComparer.Ordinal).Count();

    private void Send(string name, Kind kind, Func<long, ICounterCommand> command)
    {
        var id = ++_nextId;
        _pending[id] = new Pending(name, kind);
        Timers.StartSingleTimer(id, new TimedOut(id), _settings.RequestTimeout);
        _region.Tell(new CounterEnvelope(name, command(id)));
    }

    private bool Complete(long correlationId, out Pending pending)
    {
        if (!_pending.Remove(correlationId, out pending!)) return false;
        Timers.Cancel(correlationId);
        return true;
    }

    private void OnRead(CounterRead read)
    {
        if (!Complete(read.CorrelationId, out var pending)) return;
        var previous = _subscriptions.TryGetValue(read.Name, out var known) ? known.Last : null;
        Track(read.Name, read.State);
        if (pending.Kind == Kind.Request)
            _channel.Send(new CounterResponseMessage(read.Name, ToPayload(read.State)));
        else if (!read.State.Equals(previous))
            // Changes made while the counter moved never reached this subscriber as pushes.
            _channel.Send(new CounterUpdateMessage(read.Name, ToPayload(read.State)));
    }

    /// <summary>Remembers that <see cref="ActorBase.Sender"/> (the entity) holds this connection as a subscriber of <paramref name="name"/>.</summary>
    private void Track(string name, PnCounterState state)
    {
        var entity = Sender;
        if (!_subscriptions.TryGetValue(name, out var subscription))
            _subscriptions[name] = subscription = new Subscription();
        subscription.Last = state;
        if (Equals(subscription.Entity, entity)) return;
        if (subscription.Entity is { } old && _byEntity.TryGetValue(old, out var oldNames))
        {
            oldNames.Remove(name);
            if (oldNames.Count == 0)
            {
                _byEntity.Remove(old);
                Context.Unwatch(old);
            }
        }
        subscription.Entity = entity;
        if (!_byEntity.TryGetValue(entity, out var names))
        {
            _byEntity[entity] = names = new HashSet<string>(StringComparer.Ordinal);
            Context.Watch(entity);
        }
        names.Add(name);
    }

    private void OnEntityGone(IActorRef entity)
    {
        if (!_byEntity.Remove(entity, out var names)) return;
        foreach (var name in names)
        {
            if (_subscriptions.TryGetValue(name, out var subscription) && Equals(subscription.Entity, entity)) subscription.Entity = null;
            Send(name, Kind.Resubscribe, id => new GetCounter(id));
        }
    }

    private void OnTimedOut(long correlationId)
    {
        if (!_pending.Remove(correlationId, out var pending)) return;
        if (pending.Kind == Kind.Resubscribe)
        {
            // The counter is still moving (or its node is still being downed): keep trying, the client stays subscribed.
            Send(pending.Name, Kind.Resubscribe, id => new GetCounter(id));
            return;
        }
        _channel.Send(ServerErrors.CounterUnavailable(pending.Name));
    }

    internal static CounterStatePayload ToPayload(PnCounterState state) =>
        new(new WireMap<double>(state.P.ToArray()), new WireMap<double>(state.N.ToArray()));

    private enum Kind
    {
        Request,
        Sync,
        Resubscribe,
    }

    private sealed record Pending(string Name, Kind Kind);

    private sealed record TimedOut(long CorrelationId);

    private sealed class Subscription
    {
        public IActorRef? Entity { get; set; }

        public PnCounterState? Last { get; set; }
    }
}
