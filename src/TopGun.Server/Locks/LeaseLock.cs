using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;

namespace TopGun.Server.Locks;

/// <summary>
/// Sharded persistent entity per lock name (type "lock", persistence id <c>lock|name</c>): lease locks with FIFO
/// waiters and fencing tokens. Every change, above all each new token, is journaled before anyone hears of it,
/// so tokens only grow per name, across passivation, restarts and failover. Holders and waiters are connection
/// actors, death-watched: a closed connection, or the loss of its node, frees its lock and drops its waits.
/// The entity stays up while anyone holds or waits (its watches and expiry timer live here) and passivates when idle.
/// </summary>
internal sealed class LeaseLock : ReceivePersistentActor, IWithTimers
{
    private static readonly object ExpiryTimerKey = new();

    private readonly LockSettings _settings;
    private readonly TimeProvider _time;
    private readonly HashSet<IActorRef> _watched = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private LockState _state;
    private int _eventsSinceSnapshot;

    public LeaseLock(string name, LockSettings settings, TimeProvider time)
    {
        _settings = settings;
        _time = time;
        _state = LockState.Empty(name);
        PersistenceId = "lock|" + name;

        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is LockSnapshot snapshot) _state = LockState.FromSnapshot(name, snapshot);
        });
        Recover<ILockEvent>(e =>
        {
            _state = _state.Apply(e);
            _eventsSinceSnapshot++;
        });
        Recover<RecoveryCompleted>(_ =>
        {
            AfterChange();
            // A lease that ran out while no node hosted the lock ends now, and its next waiter is granted.
            if (!_state.IsIdle) Self.Tell(LeaseTimeUp.Instance);
        });

        Command<AcquireLock>(c => Run(_state.Acquire(c, NowMs, _settings.MaxWaiters)));
        Command<ReleaseLock>(c => Run(_state.Release(c, NowMs)));
        Command<LeaseTimeUp>(_ => Run(_state.Expire(NowMs)));
        Command<Terminated>(t => Run(_state.ClientLeft(t.ActorRef, NowMs)));
        Command<ReceiveTimeout>(_ =>
        {
            if (_state.IsIdle) Context.Parent.Tell(new Passivate(PoisonPill.Instance));
        });
        Command<SaveSnapshotSuccess>(_ => { });
        Command<SaveSnapshotFailure>(f => _log.Warning("Lock {0}: snapshot failed, recovery replays more events: {1}", _state.Name, f.Cause.Message));
    }

    public override string PersistenceId { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    public static Props Props(string name, LockSettings settings) => Props(name, settings, TimeProvider.System);

    public static Props Props(string name, LockSettings settings, TimeProvider time) =>
        Akka.Actor.Props.Create(() => new LeaseLock(name, settings, time));

    private void Run(LockTransition transition)
    {
        if (transition.Events.IsEmpty)
        {
            Deliver(transition);
            return;
        }
        var remaining = transition.Events.Count;
        // Persist, not PersistAsync: the next command must see this one's state, and a grant is sent only once its token is durable.
        PersistAll(transition.Events, e =>
        {
            _state = _state.Apply(e);
            if (--remaining > 0) return;
            _eventsSinceSnapshot += transition.Events.Count;
            if (_eventsSinceSnapshot >= _settings.SnapshotEvery)
            {
                SaveSnapshot(_state.ToSnapshot());
                _eventsSinceSnapshot = 0;
            }
            Deliver(transition);
        });
    }

    private void Deliver(LockTransition transition)
    {
        foreach (var (to, reply) in transition.Replies) to.Tell(reply);
        AfterChange();
    }

    private void AfterChange()
    {
        var clients = _state.Clients.ToHashSet();
        foreach (var client in clients)
        {
            if (_watched.Add(client)) Context.Watch(client);
        }
        _watched.RemoveWhere(client =>
        {
            if (clients.Contains(client)) return false;
            Context.Unwatch(client);
            return true;
        });

        if (_state.Lease is { } lease)
            Timers.StartSingleTimer(ExpiryTimerKey, LeaseTimeUp.Instance, TimeSpan.FromMilliseconds(Math.Max(0, lease.ExpiresAtMs - NowMs) + 1));
        else
            Timers.Cancel(ExpiryTimerKey);

        Context.SetReceiveTimeout(_state.IsIdle ? _settings.PassivateAfter : null);
    }

    private sealed record LeaseTimeUp
    {
        public static readonly LeaseTimeUp Instance = new();
    }
}
