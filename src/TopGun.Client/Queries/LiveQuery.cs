using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Akka.Actor;
using TopGun.Client.Internal;
using TopGun.Client.Mapping;
using TopGun.Client.Replica;
using TopGun.Client.Sync;
using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Protocol;
using TopGun.Core.Queries;
using TopGun.Core.Values;

namespace TopGun.Client.Queries;

/// <summary>
/// A live query over one LWW map. Results come from the local replica first (the query is
/// evaluated with Core's <see cref="QuerySpec"/> as soon as the handle exists, offline included),
/// then the server's QUERY_RESP / QUERY_UPDATE add keys this replica does not hold. For a key the
/// replica holds, the replica decides (it is merged by LWW and kept current by SERVER_EVENTs and
/// Merkle sync). QUERY_RESP rows that carry a timestamp are merged into the replica as records.
/// The visible page applies sort, limit and cursor to that union. Observers run on the thread that
/// caused the change, under the query's lock: they must not block.
/// </summary>
public sealed class LiveQuery<T> : IObservable<IReadOnlyList<T>>, IDisposable, IQuerySink
{
    private readonly object _gate = new();
    private readonly ClientCore _core;
    private readonly LwwReplica _replica;
    private readonly IValueMapper<T> _mapper;
    private readonly QuerySpec _spec;
    private readonly Dictionary<string, Value> _matches = new(StringComparer.Ordinal);
    private readonly HashSet<string> _serverOnly = new(StringComparer.Ordinal);
    private readonly Broadcast<IReadOnlyList<T>> _results = new();
    private readonly List<Channel<QueryChange<T>>> _changeStreams = [];
    private readonly IDisposable _replicaSubscription;
    private IReadOnlyList<QueryCandidate> _page = [];
    private IReadOnlyList<QueryRow<T>> _rows = [];
    private int _disposed;

    internal LiveQuery(ClientCore core, LwwReplica replica, IValueMapper<T> mapper, QuerySpec spec, Value queryValue)
    {
        _core = core;
        _replica = replica;
        _mapper = mapper;
        _spec = spec;
        QueryId = Guid.NewGuid().ToString("n");
        QueryValue = queryValue;
        // Subscribe before the snapshot so no change falls between them; both run under the gate.
        _replicaSubscription = replica.Changes.Subscribe(new ActionObserver<MapChange<Value>>(OnReplicaChange));
        lock (_gate)
        {
            foreach (var (key, value) in replica.Entries())
                if (spec.Matches(key, value)) _matches[key] = value;
            Recompute(notify: false);
        }
        core.Engine.Tell(new EngineMessages.RegisterQuery(this));
    }

    public string QueryId { get; }

    public string MapName => _replica.Name;

    /// <summary>The query as sent in QUERY_SUB (<c>{where?, predicate?, sort?, limit?, cursor?}</c>).</summary>
    public Value QueryValue { get; }

    /// <summary>The current page, in query order.</summary>
    public IReadOnlyList<QueryRow<T>> Rows
    {
        get { lock (_gate) return _rows; }
    }

    /// <summary>The current page's values, in query order.</summary>
    public IReadOnlyList<T> Results
    {
        get { lock (_gate) return _rows.Select(r => r.Value).ToList(); }
    }

    /// <summary>Cursor of the next page when the query has a limit and more rows exist locally.</summary>
    public string? NextCursor { get; private set; }

    public bool HasMore { get; private set; }

    /// <summary>What the server reported about the cursor of its latest QUERY_RESP (null before one arrived).</summary>
    public string? ServerCursorStatus { get; private set; }

    /// <summary>Every new page after a change; a subscriber first receives the current page.</summary>
    public IDisposable Subscribe(IObserver<IReadOnlyList<T>> observer)
    {
        lock (_gate)
        {
            observer.OnNext(_rows.Select(r => r.Value).ToList());
            return _results.Subscribe(observer);
        }
    }

    /// <summary>The page's changes as they happen, starting with an <see cref="QueryChangeKind.Enter"/> per current row.</summary>
    public async IAsyncEnumerable<QueryChange<T>> ChangesAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        var channel = Channel.CreateUnbounded<QueryChange<T>>(new UnboundedChannelOptions { SingleReader = true });
        lock (_gate)
        {
            foreach (var row in _rows) channel.Writer.TryWrite(new QueryChange<T>(QueryChangeKind.Enter, row.Key, row.Value));
            _changeStreams.Add(channel);
        }
        try
        {
            await foreach (var change in channel.Reader.ReadAllAsync(ct).ConfigureAwait(false)) yield return change;
        }
        finally
        {
            lock (_gate) _changeStreams.Remove(channel);
        }
    }

    /// <summary>A new live query for the page after this one (same filter and sort).</summary>
    public LiveQuery<T> NextPage()
    {
        var cursor = NextCursor ?? throw new InvalidOperationException("There is no next page.");
        var entries = QueryValue is MapValue map
            ? map.Entries.Where(e => e.Key != "cursor").Append(new KeyValuePair<string, Value>("cursor", Value.Of(cursor))).ToArray()
            : [new KeyValuePair<string, Value>("cursor", Value.Of(cursor))];
        var value = new MapValue(entries);
        return new LiveQuery<T>(_core, _replica, _mapper, QuerySpec.Parse(value), value);
    }

    private void OnReplicaChange(MapChange<Value> change)
    {
        lock (_gate)
        {
            // Re-read rather than trust the notification: notifications from two threads may arrive in
            // the opposite order of their writes, but the read after the last one sees the final state.
            if (_replica.Get(change.Key) is { } value && _spec.Matches(change.Key, value)) _matches[change.Key] = value;
            else _matches.Remove(change.Key);
            _serverOnly.Remove(change.Key);
            Recompute(notify: true);
        }
    }

    void IQuerySink.OnServerResponse(QueryRespMessage response)
    {
        foreach (var item in response.Results)
            if (item.Timestamp is { } ts && !item.Value.IsNull) _replica.MergeRemote(item.Key, new LwwRecord(item.Value, ts));
        lock (_gate)
        {
            ServerCursorStatus = response.CursorStatus;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in response.Results)
            {
                seen.Add(item.Key);
                if (_replica.Contains(item.Key) || item.Value.IsNull) continue;
                _matches[item.Key] = item.Value;
                _serverOnly.Add(item.Key);
            }
            foreach (var key in _serverOnly.Where(k => !seen.Contains(k)).ToList())
            {
                _serverOnly.Remove(key);
                _matches.Remove(key);
            }
            Recompute(notify: true);
        }
    }

    void IQuerySink.OnServerUpdate(QueryUpdateMessage update)
    {
        lock (_gate)
        {
            if (_replica.Contains(update.Key)) return;
            if (update.UpdateType == "REMOVE" || update.Value.IsNull)
            {
                if (!_serverOnly.Remove(update.Key)) return;
                _matches.Remove(update.Key);
            }
            else
            {
                _matches[update.Key] = update.Value;
                _serverOnly.Add(update.Key);
            }
            Recompute(notify: true);
        }
    }

    private void Recompute(bool notify)
    {
        var candidates = _matches.Select(e => new QueryCandidate(e.Key, e.Value, (Timestamp?)null));
        var page = QueryExecutor.Execute(candidates, _spec, _core.Clock.WallMillis());
        var previous = _page;
        _page = page.Results;
        NextCursor = page.NextCursor;
        HasMore = page.HasMore;
        var rows = new List<QueryRow<T>>(page.Results.Count);
        foreach (var c in page.Results)
            if (TryMap(c.Key, c.Value, out var item)) rows.Add(new QueryRow<T>(c.Key, item));
        _rows = rows;
        if (!notify) return;

        var changes = Diff(previous, page.Results);
        if (changes.Count == 0) return;
        if (_results.HasObservers) _results.Publish(_rows.Select(r => r.Value).ToList());
        foreach (var channel in _changeStreams)
            foreach (var change in changes) channel.Writer.TryWrite(change);
    }

    private List<QueryChange<T>> Diff(IReadOnlyList<QueryCandidate> before, IReadOnlyList<QueryCandidate> after)
    {
        var changes = new List<QueryChange<T>>();
        var old = new Dictionary<string, Value>(before.Count, StringComparer.Ordinal);
        foreach (var c in before) old[c.Key] = c.Value;
        foreach (var c in after)
        {
            var known = old.Remove(c.Key, out var previous);
            if (known && previous!.Equals(c.Value)) continue;
            if (!TryMap(c.Key, c.Value, out var item)) continue;
            changes.Add(new QueryChange<T>(known ? QueryChangeKind.Update : QueryChangeKind.Enter, c.Key, item));
        }
        foreach (var key in old.Keys) changes.Add(new QueryChange<T>(QueryChangeKind.Leave, key, default));
        return changes;
    }

    /// <summary>
    /// A value another client wrote in a shape <typeparamref name="T"/> cannot take is left out of the
    /// typed result and reported on <see cref="TopGunClient.Errors"/>, rather than ending the query.
    /// </summary>
    private bool TryMap(string key, Value value, out T item)
    {
        try
        {
            item = _mapper.FromValue(value);
            return true;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or NotSupportedException or InvalidOperationException or FormatException)
        {
            _core.Errors.Publish(new ServerError("MAPPING", $"{MapName}/{key}: {e.Message}"));
            item = default!;
            return false;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _replicaSubscription.Dispose();
        _core.Engine.Tell(new EngineMessages.UnregisterQuery(QueryId));
        lock (_gate)
        {
            foreach (var channel in _changeStreams) channel.Writer.TryComplete();
            _changeStreams.Clear();
        }
        _results.Complete();
    }
}
