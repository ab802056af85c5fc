using TopGun.Client.Internal;
using TopGun.Client.Mapping;
using TopGun.Client.Replica;
using TopGun.Core.Values;

namespace TopGun.Client.Maps;

/// <summary>
/// A last-writer-wins map of the local replica. Reads and writes touch memory only and return at
/// once; a write is also appended to the durable op log and pushed to the server when connected.
/// Thread-safe. <typeparamref name="T"/> is mapped to the wire value model by the client's
/// <see cref="IValueMapper{T}"/> (<see cref="JsonValueMapper{T}"/> unless <c>T</c> is <see cref="Value"/>).
/// </summary>
public sealed class TopGunMap<T>
{
    private readonly ClientCore _core;
    private readonly LwwReplica _replica;
    private readonly IValueMapper<T> _mapper;

    internal TopGunMap(ClientCore core, LwwReplica replica, IValueMapper<T> mapper)
    {
        _core = core;
        _replica = replica;
        _mapper = mapper;
        Changes = new MappedChanges(replica.Changes, mapper);
    }

    public string Name => _replica.Name;

    /// <summary>Key changes with their origin (this client or the server), on the thread that caused them.</summary>
    public IObservable<MapChange<T>> Changes { get; }

    /// <summary>The live value, or default when the key is absent, removed or expired.</summary>
    public T? Get(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var value = _replica.Get(key);
        return value is null ? default : _mapper.FromValue(value);
    }

    public bool TryGet(string key, out T value)
    {
        ArgumentNullException.ThrowIfNull(key);
        var raw = _replica.Get(key);
        value = raw is null ? default! : _mapper.FromValue(raw);
        return raw is not null;
    }

    /// <summary>Writes locally and queues the op; throws <see cref="PendingOpsLimitExceededException"/> when backpressure refuses it.</summary>
    public void Set(string key, T value, TimeSpan? ttl = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        var wire = _mapper.ToValue(value);
        if (wire.IsNull) throw new ArgumentException("A null value is a removal; call Remove.", nameof(value));
        _core.EnsureCapacityForSyncWrite();
        var record = _replica.SetLocal(key, wire, ttl is { } t ? (long)t.TotalMilliseconds : null);
        _core.AppendOp(Name, key, "PUT", record: record);
    }

    /// <summary>As <see cref="Set"/>, but waits for room in the op log under <see cref="BackpressureStrategy.Pause"/>.</summary>
    public async ValueTask SetAsync(string key, T value, TimeSpan? ttl = null, CancellationToken ct = default)
    {
        await _core.EnsureCapacityAsync(ct).ConfigureAwait(false);
        Set(key, value, ttl);
    }

    public void Remove(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _core.EnsureCapacityForSyncWrite();
        var record = _replica.RemoveLocal(key);
        _core.AppendOp(Name, key, "REMOVE", record: record);
    }

    public async ValueTask RemoveAsync(string key, CancellationToken ct = default)
    {
        await _core.EnsureCapacityAsync(ct).ConfigureAwait(false);
        Remove(key);
    }

    /// <summary>Keys with a live value.</summary>
    public IReadOnlyList<string> Keys => _replica.Entries().Select(e => e.Key).ToList();

    /// <summary>Live entries, mapped to <typeparamref name="T"/>.</summary>
    public IReadOnlyList<KeyValuePair<string, T>> Entries =>
        _replica.Entries().Select(e => new KeyValuePair<string, T>(e.Key, _mapper.FromValue(e.Value))).ToList();

    private sealed class MappedChanges(Broadcast<MapChange<Value>> source, IValueMapper<T> mapper) : IObservable<MapChange<T>>
    {
        public IDisposable Subscribe(IObserver<MapChange<T>> observer) =>
            source.Subscribe(new ActionObserver<MapChange<Value>>(c =>
                observer.OnNext(new MapChange<T>(c.MapName, c.Key, c.Value is null ? default : mapper.FromValue(c.Value), c.IsRemoved, c.Origin))));
    }
}
