namespace TopGun.Client.Internal;

/// <summary>
/// A minimal hot observable: every subscriber sees the values published after it subscribed, on the
/// publishing thread. Subscribers must not block; an observer that throws is dropped rather than
/// allowed to break the write path that published.
/// </summary>
internal sealed class Broadcast<T> : IObservable<T>
{
    private volatile IObserver<T>[] _observers = [];
    private readonly object _gate = new();

    public bool HasObservers => _observers.Length > 0;

    public IDisposable Subscribe(IObserver<T> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        lock (_gate) _observers = [.. _observers, observer];
        return new Subscription(this, observer);
    }

    public void Publish(T value)
    {
        foreach (var observer in _observers)
        {
            try
            {
                observer.OnNext(value);
            }
            catch
            {
                Unsubscribe(observer);
            }
        }
    }

    public void Complete()
    {
        IObserver<T>[] observers;
        lock (_gate)
        {
            observers = _observers;
            _observers = [];
        }
        foreach (var observer in observers)
        {
            try { observer.OnCompleted(); }
            catch { /* a completing observer cannot be helped any more */ }
        }
    }

    private void Unsubscribe(IObserver<T> observer)
    {
        lock (_gate) _observers = _observers.Where(o => !ReferenceEquals(o, observer)).ToArray();
    }

    private sealed class Subscription(Broadcast<T> owner, IObserver<T> observer) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) owner.Unsubscribe(observer);
        }
    }
}
