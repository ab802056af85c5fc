namespace TopGun.Client.Internal;

/// <summary>Adapts a callback to <see cref="IObserver{T}"/> without pulling in Rx.</summary>
internal sealed class ActionObserver<T>(Action<T> onNext) : IObserver<T>
{
    public void OnNext(T value) => onNext(value);
    public void OnError(Exception error) { }
    public void OnCompleted() { }
}
