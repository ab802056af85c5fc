using System.Collections.Concurrent;
using System.Globalization;
using Akka.Actor;
using TopGun.Client.Internal;
using TopGun.Client.Replica;
using TopGun.Client.Storage;
using TopGun.Client.Sync;
using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Protocol;
using TopGun.Core.Values;

namespace TopGun.Client;

/// <summary>
/// The state a client's handles and its sync engine share: clock, replicas, store writer, op-id
/// sequence, pending-op accounting and the public event feeds. Handles write through it on
/// application threads; the engine actor calls back into it on its own thread.
/// </summary>
internal sealed class ClientCore
{
    private readonly ConcurrentDictionary<string, LwwReplica> _lww = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, OrReplica> _or = new(StringComparer.Ordinal);
    private readonly object _waitGate = new();
    private readonly List<TaskCompletionSource> _syncWaiters = [];
    private readonly List<TaskCompletionSource> _capacityWaiters = [];
    private long _lastOpId;
    private long _pending;
    private int _state;
    private bool _limitReached;

    public ClientCore(TopGunClientOptions options, Hlc clock, StoreWriterHolder writer, long lastOpId)
    {
        Options = options;
        Clock = clock;
        WriterHolder = writer;
        _lastOpId = lastOpId;
    }

    public TopGunClientOptions Options { get; }
    public Hlc Clock { get; }
    public string NodeId => Clock.NodeId;
    private StoreWriterHolder WriterHolder { get; }
    public StoreWriter Writer => WriterHolder.Writer!;
    public IActorRef Engine { get; set; } = ActorRefs.Nobody;

    public Broadcast<ConnectionState> StateChanges { get; } = new();
    public Broadcast<BackpressureEvent> BackpressureEvents { get; } = new();
    public Broadcast<OpFailure> OpFailures { get; } = new();
    public Broadcast<ServerError> Errors { get; } = new();

    public long LastOpId => Interlocked.Read(ref _lastOpId);
    public long PendingOps => Interlocked.Read(ref _pending);

    public ConnectionState State => (ConnectionState)Volatile.Read(ref _state);

    public IReadOnlyCollection<LwwReplica> LwwReplicas => (IReadOnlyCollection<LwwReplica>)_lww.Values;
    public IReadOnlyCollection<OrReplica> OrReplicas => (IReadOnlyCollection<OrReplica>)_or.Values;

    /// <summary>Every map, LWW maps first.</summary>
    public IEnumerable<IMapReplica> Replicas => _lww.Values.Cast<IMapReplica>().Concat(_or.Values);

    public void SetState(ConnectionState state)
    {
        if (Interlocked.Exchange(ref _state, (int)state) == (int)state) return;
        StateChanges.Publish(state);
        CheckSynced();
    }

    public void AddRestored(LwwReplica replica) => _lww[replica.Name] = replica;
    public void AddRestored(OrReplica replica) => _or[replica.Name] = replica;

    public bool TryGetLww(string name, out LwwReplica replica) => _lww.TryGetValue(name, out replica!);
    public bool TryGetOr(string name, out OrReplica replica) => _or.TryGetValue(name, out replica!);

    public bool TryGetReplica(string name, out IMapReplica replica)
    {
        if (_lww.TryGetValue(name, out var lww)) replica = lww;
        else if (_or.TryGetValue(name, out var or)) replica = or;
        else replica = null!;
        return replica is not null;
    }

    public LwwReplica GetOrAddLww(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (_lww.TryGetValue(name, out var existing)) return existing;
        if (_or.ContainsKey(name)) throw new InvalidOperationException($"Map '{name}' is an OR map; open it with GetORMap.");
        var created = new LwwReplica(name, Clock, Writer);
        if (!_lww.TryAdd(name, created)) return _lww[name];
        Writer.Enqueue(new StoreWork.RegisterMap(name, MapKind.Lww));
        Engine.Tell(new EngineMessages.MapAdded(created));
        return created;
    }

    public OrReplica GetOrAddOr(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (_or.TryGetValue(name, out var existing)) return existing;
        if (_lww.ContainsKey(name)) throw new InvalidOperationException($"Map '{name}' is an LWW map; open it with GetMap.");
        var created = new OrReplica(name, Clock, Writer);
        if (!_or.TryAdd(name, created)) return _or[name];
        Writer.Enqueue(new StoreWork.RegisterMap(name, MapKind.Or));
        Engine.Tell(new EngineMessages.MapAdded(created));
        return created;
    }

    /// <summary>Applies backpressure before a synchronous write; throws when the write must not happen.</summary>
    public void EnsureCapacityForSyncWrite()
    {
        if (PendingOps < Options.MaxPendingOps) return;
        ReportLimitReached();
        if (Options.Backpressure == BackpressureStrategy.DropOldest) return;
        BackpressureEvents.Publish(new BackpressureEvent(BackpressureEventKind.WriteRejected, PendingOps));
        throw new PendingOpsLimitExceededException(PendingOps, Options.MaxPendingOps);
    }

    /// <summary>Applies backpressure before an async write: waits under <see cref="BackpressureStrategy.Pause"/>.</summary>
    public async ValueTask EnsureCapacityAsync(CancellationToken ct)
    {
        while (Options.Backpressure == BackpressureStrategy.Pause && PendingOps >= Options.MaxPendingOps)
        {
            ReportLimitReached();
            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_waitGate) _capacityWaiters.Add(waiter);
            if (PendingOps < Options.MaxPendingOps) break;
            await waiter.Task.WaitAsync(ct).ConfigureAwait(false);
        }
        EnsureCapacityForSyncWrite();
    }

    /// <summary>Gives the write an op id and queues it for the durable log; returns at once.</summary>
    public void AppendOp(string mapName, string key, string opType, LwwRecord? record = null, OrMapRecord? orRecord = null, string? orTag = null)
    {
        var id = Interlocked.Increment(ref _lastOpId);
        var op = new ClientOp(mapName, key, id.ToString(CultureInfo.InvariantCulture), opType, record, orRecord, orTag);
        Interlocked.Increment(ref _pending);
        Writer.Enqueue(new StoreWork.AppendOp(new PendingOp(id, op)));
        if (Options.Backpressure == BackpressureStrategy.DropOldest && PendingOps > Options.MaxPendingOps)
            Engine.Tell(new EngineMessages.DropOldestOp());
    }

    /// <summary>Ops left the log (acknowledged, refused or dropped).</summary>
    public void OnOpsResolved(int count)
    {
        if (count == 0) return;
        var pending = Interlocked.Add(ref _pending, -count);
        if (pending < Options.MaxPendingOps)
        {
            List<TaskCompletionSource> waiters;
            bool resumed;
            lock (_waitGate)
            {
                waiters = [.. _capacityWaiters];
                _capacityWaiters.Clear();
                resumed = _limitReached;
                _limitReached = false;
            }
            foreach (var w in waiters) w.TrySetResult();
            if (resumed) BackpressureEvents.Publish(new BackpressureEvent(BackpressureEventKind.Resumed, pending));
        }
        CheckSynced();
    }

    public void SetPendingFromStore(int count) => Interlocked.Exchange(ref _pending, count);

    public Task WaitForSyncAsync(CancellationToken ct)
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waitGate) _syncWaiters.Add(waiter);
        CheckSynced();
        return waiter.Task.WaitAsync(ct);
    }

    private void CheckSynced()
    {
        if (State != ConnectionState.Connected || PendingOps != 0) return;
        List<TaskCompletionSource> waiters;
        lock (_waitGate)
        {
            waiters = [.. _syncWaiters];
            _syncWaiters.Clear();
        }
        foreach (var w in waiters) w.TrySetResult();
    }

    private void ReportLimitReached()
    {
        bool first;
        lock (_waitGate)
        {
            first = !_limitReached;
            _limitReached = true;
        }
        if (first) BackpressureEvents.Publish(new BackpressureEvent(BackpressureEventKind.LimitReached, PendingOps));
    }

    public void CompleteFeeds()
    {
        StateChanges.Complete();
        BackpressureEvents.Complete();
        OpFailures.Complete();
        Errors.Complete();
        foreach (var r in _lww.Values) r.Changes.Complete();
        foreach (var r in _or.Values) r.Changes.Complete();
    }
}

/// <summary>Lets the core exist before its writer (the writer's callback needs the engine the core hands out).</summary>
internal sealed class StoreWriterHolder
{
    public StoreWriter? Writer { get; set; }
}
