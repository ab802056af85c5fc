using TopGun.Client.Internal;
using TopGun.Client.Mapping;
using TopGun.Client.Replica;
using TopGun.Core.Values;

namespace TopGun.Client.Maps;

/// <summary>
/// An observed-remove map: each key holds a set of values; a remove takes away only the additions
/// this replica has seen, so a concurrent add elsewhere survives it. Local-first like <see cref="TopGunMap{T}"/>.
/// </summary>
public sealed class TopGunOrMap<T>
{
    private readonly ClientCore _core;
    private readonly OrReplica _replica;
    private readonly IValueMapper<T> _mapper;

    internal TopGunOrMap(ClientCore core, OrReplica replica, IValueMapper<T> mapper)
    {
        _core = core;
        _replica = replica;
        _mapper = mapper;
        Changes = new MappedChanges(replica.Changes, mapper);
    }

    public string Name => _replica.Name;

    /// <summary>A key's value set changed; <see cref="MapChange{T}.Value"/> holds the key's values after the change.</summary>
    public IObservable<MapChange<IReadOnlyList<T>>> Changes { get; }

    public void Add(string key, T value, TimeSpan? ttl = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        var wire = _mapper.ToValue(value);
        _core.EnsureCapacityForSyncWrite();
        var record = _replica.AddLocal(key, wire, ttl is { } t ? (long)t.TotalMilliseconds : null);
        _core.AppendOp(Name, key, "OR_ADD", orRecord: record);
    }

    public async ValueTask AddAsync(string key, T value, TimeSpan? ttl = null, CancellationToken ct = default)
    {
        await _core.EnsureCapacityAsync(ct).ConfigureAwait(false);
        Add(key, value, ttl);
    }

    /// <summary>Removes every observed occurrence of <paramref name="value"/> under <paramref name="key"/>; returns how many.</summary>
    public int Remove(string key, T value)
    {
        ArgumentNullException.ThrowIfNull(key);
        _core.EnsureCapacityForSyncWrite();
        var tags = _replica.RemoveLocal(key, _mapper.ToValue(value));
        foreach (var tag in tags) _core.AppendOp(Name, key, "OR_REMOVE", orTag: tag);
        return tags.Count;
    }

    public IReadOnlyList<T> Get(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _replica.Get(key).Select(_mapper.FromValue).ToList();
    }

    public IReadOnlyList<string> Keys => _replica.Keys();

    private sealed class MappedChanges(Broadcast<MapChange<IReadOnlyList<Value>>> source, IValueMapper<T> mapper) : IObservable<MapChange<IReadOnlyList<T>>>
    {
        public IDisposable Subscribe(IObserver<MapChange<IReadOnlyList<T>>> observer) =>
            source.Subscribe(new ActionObserver<MapChange<IReadOnlyList<Value>>>(c =>
                observer.OnNext(new MapChange<IReadOnlyList<T>>(c.MapName, c.Key, (c.Value ?? []).Select(mapper.FromValue).ToList(), c.IsRemoved, c.Origin))));
    }
}
