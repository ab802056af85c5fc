using TopGun.Client.Internal;

namespace TopGun.Client;

/// <summary>Subscribes with a callback, so callers need no Rx package for the client's observables.</summary>
public static class ObservableExtensions
{
    public static IDisposable Subscribe<T>(this IObservable<T> source, Action<T> onNext)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(onNext);
        return source.Subscribe(new ActionObserver<T>(onNext));
    }
}
