using Akka.Actor;
using TopGun.Client.Internal;
using TopGun.Client.Sync;
using TopGun.Core.Crdt;

namespace TopGun.Client.Counters;

/// <summary>
/// A PN counter shared through the server (COUNTER_REQUEST / COUNTER_SYNC / COUNTER_UPDATE).
/// Increments apply locally at once and are max-merged by the server; the state lives in memory
/// only (it is not part of the local store), so an offline restart starts from the server's state.
/// </summary>
public sealed class TopGunCounter : ICounterSink, IObservable<double>
{
    private readonly object _gate = new();
    private readonly ClientCore _core;
    private readonly PnCounter _counter = new();
    private readonly Broadcast<double> _values = new();

    internal TopGunCounter(ClientCore core, string name)
    {
        _core = core;
        Name = name;
        core.Engine.Tell(new EngineMessages.RegisterCounter(this));
    }

    public string Name { get; }

    public double Value
    {
        get { lock (_gate) return _counter.Value; }
    }

    public PnCounterState State
    {
        get { lock (_gate) return _counter.State; }
    }

    public double Increment() => Add(1);

    public double Decrement() => Add(-1);

    public double Add(double delta)
    {
        double value;
        lock (_gate) value = _counter.AddDelta(_core.NodeId, delta);
        _values.Publish(value);
        _core.Engine.Tell(new EngineMessages.CounterChanged(Name));
        return value;
    }

    public IDisposable Subscribe(IObserver<double> observer) => _values.Subscribe(observer);

    void ICounterSink.OnRemoteState(PnCounterState state)
    {
        double value;
        lock (_gate)
        {
            if (!_counter.Merge(state)) return;
            value = _counter.Value;
        }
        _values.Publish(value);
    }
}
