using TopGun.Core.Crdt;
using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Configuration;
using TopGun.Client.Counters;
using TopGun.Client.Locks;
using TopGun.Client.Mapping;
using TopGun.Client.Maps;
using TopGun.Client.Queries;
using TopGun.Client.Replica;
using TopGun.Client.Storage;
using TopGun.Client.Sync;
using TopGun.Client.Topics;
using TopGun.Core.Clock;
using TopGun.Core.Queries;
using TopGun.Core.Values;

namespace TopGun.Client;

/// <summary>
/// An offline-first TopGun client. It loads its local store at construction (replica, pending ops,
/// node id, clock), so data written before a restart is readable at once, offline. Maps read and
/// write the in-memory replica only; writes are committed to the durable op log in the background
/// (group commit every <see cref="TopGunClientOptions.FlushInterval"/>) and pushed by the sync engine,
/// an actor in the client's own local <see cref="ActorSystem"/>, whenever a server is reachable.
/// </summary>
public sealed class TopGunClient : IAsyncDisposable
{
    private static readonly Config ActorSystemConfig = ConfigurationFactory.ParseString("""
        akka {
          loglevel = WARNING
          stdout-loglevel = WARNING
          log-dead-letters = off
          log-dead-letters-during-shutdown = off
          actor.provider = local
        }
        """);

    private readonly SqliteLocalStore _store;
    private readonly ClientCore _core;
    private readonly ActorSystem _system;
    private readonly ConcurrentDictionary<string, object> _handles = new(StringComparer.Ordinal);
    private int _disposed;

    public TopGunClient(TopGunClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _store = SqliteLocalStore.Open(options.InMemoryStore ? null : options.DatabasePath);
        try
        {
            var snapshot = _store.Load();
            var nodeId = options.NodeId ?? snapshot.NodeId ?? Core.Clock.NodeId.NewId("c");
            if (snapshot.NodeId != nodeId) _store.SetMeta("node_id", nodeId);
            var clock = new Hlc(nodeId, options.TimeSource);
            if (snapshot.ClockLast is { } last) clock.Restore(last);

            var holder = new StoreWriterHolder();
            _core = new ClientCore(options, clock, holder, snapshot.LastOpId);
            var core = _core;
            holder.Writer = new StoreWriter(_store, clock, () => core.LastOpId, options.FlushInterval,
                ops => core.Engine.Tell(new EngineMessages.OpsDurable(ops)));
            holder.Writer.CommitFailed += e => core.Errors.Publish(new ServerError("STORE", "local store commit failed, retrying: " + e.Message));

            foreach (var map in snapshot.Maps)
            {
                if (map.Kind == MapKind.Lww)
                {
                    var replica = new LwwReplica(map.Name, clock, holder.Writer, map.LastSyncTimestamp);
                    foreach (var (key, record) in map.LwwRecords) replica.Restore(key, record);
                    _core.AddRestored(replica);
                }
                else
                {
                    var replica = new OrReplica(map.Name, clock, holder.Writer, map.LastSyncTimestamp);
                    foreach (var (key, record) in map.OrRecords) replica.Restore(key, record);
                    foreach (var (key, tag) in map.OrTombstones) replica.RestoreTombstone(key, tag);
                    _core.AddRestored(replica);
                }
            }
            _core.SetPendingFromStore(snapshot.PendingOps.Count);

            _system = ActorSystem.Create("topgun-client", ActorSystemConfig);
            _core.Engine = _system.ActorOf(SyncEngineActor.Props(_core, snapshot.PendingOps), "sync-engine");
            if (options.ServerUrl is not null) _core.Engine.Tell(new EngineMessages.Start());
        }
        catch
        {
            _store.Dispose();
            throw;
        }
    }

    public TopGunClientOptions Options { get; }

    /// <summary>This client's HLC node id (stored in the local store).</summary>
    public string NodeId => _core.NodeId;

    public ConnectionState State => _core.State;

    /// <summary>Every state change of the connection state machine.</summary>
    public IObservable<ConnectionState> StateChanges => _core.StateChanges;

    /// <summary>Writes not yet acknowledged by the server (queued, durable or in flight).</summary>
    public long PendingOps => _core.PendingOps;

    public IObservable<BackpressureEvent> BackpressureEvents => _core.BackpressureEvents;

    /// <summary>Ops the server refused for good; they left the op log, the local replica keeps their values.</summary>
    public IObservable<OpFailure> OpFailures => _core.OpFailures;

    public IObservable<ServerError> Errors => _core.Errors;

    /// <summary>A typed LWW map; <typeparamref name="T"/> goes through <see cref="JsonValueMapper{T}"/> unless a mapper is given.</summary>
    public TopGunMap<T> GetMap<T>(string name, IValueMapper<T>? mapper = null)
    {
        ThrowIfDisposed();
        return new TopGunMap<T>(_core, _core.GetOrAddLww(name), mapper ?? DefaultMapper<T>());
    }

    /// <summary>An untyped LWW map over the wire value model.</summary>
    public TopGunMap<Value> GetMap(string name) => GetMap(name, IdentityValueMapper.Instance);

    public TopGunOrMap<T> GetORMap<T>(string name, IValueMapper<T>? mapper = null)
    {
        ThrowIfDisposed();
        return new TopGunOrMap<T>(_core, _core.GetOrAddOr(name), mapper ?? DefaultMapper<T>());
    }

    public TopGunOrMap<Value> GetORMap(string name) => GetORMap(name, IdentityValueMapper.Instance);

    /// <summary>
    /// A live query over an LWW map. <paramref name="query"/> has the protocol's shape
    /// <c>{where?, predicate?, sort?, limit?, cursor?}</c>; null selects every record ordered by key.
    /// Dispose the handle to end the server subscription.
    /// </summary>
    public LiveQuery<T> Query<T>(string mapName, Value? query = null, IValueMapper<T>? mapper = null)
    {
        ThrowIfDisposed();
        var value = query ?? new MapValue([]);
        var spec = QuerySpec.TryParse(value, out var parsed, out var error) ? parsed : throw new ArgumentException("Invalid query: " + error, nameof(query));
        return new LiveQuery<T>(_core, _core.GetOrAddLww(mapName), mapper ?? DefaultMapper<T>(), spec, value);
    }

    /// <summary>As <see cref="Query{T}(string, Value?, IValueMapper{T}?)"/> with the query given as any object (e.g. an anonymous one), mapped through System.Text.Json.</summary>
    public LiveQuery<T> Query<T>(string mapName, object query, IValueMapper<T>? mapper = null) =>
        Query(mapName, JsonValues.FromObject(query, Options.JsonOptions), mapper);

    public TopGunTopic Topic(string name) => Handle(name, "topic:", () => new TopGunTopic(_core, name));

    public TopGunLock Lock(string name) => Handle(name, "lock:", () => new TopGunLock(_core, name));

    public TopGunCounter Counter(string name) => Handle(name, "counter:", () => new TopGunCounter(_core, name));

    /// <summary>Completes once every write made before the call is committed to the local store.</summary>
    public Task FlushAsync()
    {
        ThrowIfDisposed();
        return _core.Writer.FlushAsync();
    }

    /// <summary>
    /// Completes when the client is <see cref="ConnectionState.Connected"/> (pushes acknowledged, every
    /// map's Merkle pull finished) and no write waits for acknowledgement. Throws for a local-only client.
    /// </summary>
    public Task WaitForSyncAsync(CancellationToken ct = default)
    {
        ThrowIfDisposed();
        if (Options.ServerUrl is null) throw new InvalidOperationException("A local-only client (no ServerUrl) never syncs.");
        return _core.WaitForSyncAsync(ct);
    }

    /// <summary>Closes the connection, commits what is queued, stops the actor system and closes the store.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _core.Engine.Tell(new EngineMessages.Stop(stopped));
        await stopped.Task.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        await _core.Writer.DisposeAsync().ConfigureAwait(false);
        await _system.Terminate().ConfigureAwait(false);
        _store.Dispose();
        _core.CompleteFeeds();
    }

    private IValueMapper<T> DefaultMapper<T>() =>
        typeof(T) == typeof(Value) ? (IValueMapper<T>)(object)IdentityValueMapper.Instance : new JsonValueMapper<T>(Options.JsonOptions);

    private T Handle<T>(string name, string prefix, Func<T> create) where T : class
    {
        ThrowIfDisposed();
        ArgumentException.ThrowIfNullOrEmpty(name);
        return (T)_handles.GetOrAdd(prefix + name, _ => create());
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
