using System.Globalization;
using Akka.Actor;
using Akka.Event;
using TopGun.Client.Storage;
using TopGun.Core.Protocol;

namespace TopGun.Client.Sync;

/// <summary>
/// The sync engine: runs the connection state machine (Connecting → Authenticating → Syncing →
/// Connected, Backoff on any failure), pushes the durable op log as OP_BATCH frames, pulls each map's
/// differences by Merkle walk, and applies what the server pushes to the replica. All connection
/// state lives in this actor; socket callbacks and timers reach it as messages tagged with the
/// connection generation, so a late message from a dead socket is ignored.
/// Handlers are split by concern over partial files: this one (lifecycle and op log),
/// MerkleSync (map pulls and server events) and Features (queries, topics, counters, locks).
/// </summary>
internal sealed partial class SyncEngineActor : ReceiveActor, IWithTimers
{
    private readonly ClientCore _core;
    private readonly TopGunClientOptions _options;
    private readonly OpLogTracker _ops = new();
    private readonly Random _random = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private WebSocketConnection? _connection;
    private int _generation;
    private int _attempt;
    private long _lastPongAt;
    private TimeSpan? _retryAfter;
    private bool _authenticated;
    private bool _stopped;

    public SyncEngineActor(ClientCore core, IReadOnlyList<PendingOp> restoredOps)
    {
        _core = core;
        _options = core.Options;
        foreach (var op in restoredOps) _ops.Add(op);
        foreach (var replica in core.LwwReplicas) _maps[replica.Name] = MapKind.Lww;
        foreach (var replica in core.OrReplicas) _maps[replica.Name] = MapKind.Or;

        Receive<EngineMessages.Start>(_ => { if (_options.ServerUrl is not null && _connection is null) BeginConnect(); });
        Receive<EngineMessages.Stop>(OnStop);
        Receive<EngineMessages.OpsDurable>(m =>
        {
            foreach (var op in m.Ops) _ops.Add(op);
            PumpOps();
        });
        Receive<EngineMessages.DropOldestOp>(_ => DropOldest());
        Receive<EngineMessages.MapAdded>(OnMapAdded);
        Receive<EngineSignals.Connected>(OnConnected);
        Receive<EngineSignals.ConnectionLost>(m => { if (ReferenceEquals(m.Connection, _connection)) OnConnectionLost(m.Reason); });
        Receive<EngineSignals.Inbound>(m => { if (m.Generation == _generation && _connection is not null) Dispatch(m.Message); });
        Receive<EngineSignals.HeartbeatTick>(_ => OnHeartbeat());
        Receive<EngineSignals.ReconnectTick>(_ => { if (!_stopped) BeginConnect(); });
        ReceiveFeatureMessages();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ClientCore core, IReadOnlyList<PendingOp> restoredOps) =>
        Akka.Actor.Props.Create(() => new SyncEngineActor(core, restoredOps));

    private bool IsAuthenticated => _connection is not null && _authenticated;

    private void BeginConnect()
    {
        var url = _options.ServerUrl!;
        var generation = ++_generation;
        _core.SetState(ConnectionState.Connecting);
        ConnectAsync(url, generation).PipeTo(Self);
    }

    private async Task<EngineSignals.Connected> ConnectAsync(Uri url, int generation)
    {
        try
        {
            var token = _options.TokenProvider is { } provider
                ? await provider(CancellationToken.None).ConfigureAwait(false)
                : _options.Token;
            var connection = await WebSocketConnection.ConnectAsync(url, _options.ConnectTimeout, CancellationToken.None).ConfigureAwait(false);
            return new EngineSignals.Connected(generation, connection, token, null);
        }
        catch (Exception e)
        {
            return new EngineSignals.Connected(generation, null, null, e);
        }
    }

    private void OnConnected(EngineSignals.Connected m)
    {
        if (m.Generation != _generation || _stopped)
        {
            m.Connection?.Abort();
            return;
        }
        if (m.Connection is null)
        {
            _core.Errors.Publish(new ServerError("CONNECT_FAILED", m.Error?.Message ?? "connection failed"));
            ScheduleReconnect();
            return;
        }
        _connection = m.Connection;
        _authenticated = false;
        var self = Self;
        var generation = m.Generation;
        var connection = m.Connection;
        connection.Start(
            message => self.Tell(new EngineSignals.Inbound(generation, message)),
            reason => self.Tell(new EngineSignals.ConnectionLost(connection, reason)));
        _core.SetState(ConnectionState.Authenticating);
        // AUTH may precede AUTH_REQUIRED (protocol §3), which saves a round trip.
        connection.Send(new AuthMessage(m.Token ?? ""));
        _lastPongAt = Environment.TickCount64;
        Timers.StartPeriodicTimer("heartbeat", EngineSignals.HeartbeatTick.Instance, _options.HeartbeatInterval);
    }

    private void OnAuthenticated()
    {
        _authenticated = true;
        _attempt = 0;
        _retryAfter = null;
        _core.SetState(ConnectionState.Syncing);
        _ops.ResetInFlight();
        PumpOps();
        foreach (var (name, kind) in _maps) StartWalk(name, kind);
        ResubscribeFeatures();
        CheckSynced();
    }

    private void OnConnectionLost(string reason)
    {
        _log.Debug("Connection lost: {0}", reason);
        _connection?.Abort();
        _connection = null;
        _authenticated = false;
        Timers.Cancel("heartbeat");
        _ops.ResetInFlight();
        _walks.Clear();
        OnFeaturesDisconnected();
        if (_stopped) _core.SetState(ConnectionState.Disconnected);
        else ScheduleReconnect();
    }

    private void ScheduleReconnect()
    {
        _attempt++;
        if (_options.MaxReconnectAttempts is { } max && _attempt > max)
        {
            _core.SetState(ConnectionState.Disconnected);
            return;
        }
        var delay = _retryAfter ?? Backoff.Delay(_attempt, _options.BackoffInitial, _options.BackoffMax, _random);
        _retryAfter = null;
        _core.SetState(ConnectionState.Backoff);
        Timers.StartSingleTimer("reconnect", EngineSignals.ReconnectTick.Instance, delay);
    }

    private void OnHeartbeat()
    {
        if (_connection is null) return;
        var now = Environment.TickCount64;
        if (now - _lastPongAt > (long)_options.HeartbeatTimeout.TotalMilliseconds)
        {
            OnConnectionLost("heartbeat timeout");
            return;
        }
        _connection.Send(new PingMessage(_core.Clock.WallMillis()));
    }

    private void OnStop(EngineMessages.Stop m)
    {
        _stopped = true;
        Timers.CancelAll();
        var connection = _connection;
        _connection = null;
        _core.SetState(ConnectionState.Disconnected);
        if (connection is null)
        {
            m.Done.TrySetResult();
            return;
        }
        connection.CloseAsync(TimeSpan.FromSeconds(2)).ContinueWith(_ => m.Done.TrySetResult(), TaskScheduler.Default);
    }

    private void Send(Message message) => _connection?.Send(message);

    private void Dispatch(Message message)
    {
        switch (message)
        {
            case BatchMessage batch:
                foreach (var inner in batch.Messages) Dispatch(inner);
                break;
            case AuthAckMessage:
                if (!_authenticated) OnAuthenticated();
                break;
            case AuthFailMessage fail:
                _core.Errors.Publish(new ServerError("AUTH_FAIL", fail.Error, 4001));
                OnConnectionLost("authentication failed");
                break;
            case PongMessage:
                // PONG's timestamp is a wall-clock echo, not an HLC timestamp: it never feeds the clock.
                _lastPongAt = Environment.TickCount64;
                break;
            case OpAckMessage ack:
                OnOpAck(ack);
                break;
            case OpRejectedMessage rejected:
                OnOpRejected(rejected);
                break;
            case ErrorMessage error:
                _core.Errors.Publish(new ServerError("ERROR", error.Message, error.Code, error.Details));
                break;
            case MergeRejectedMessage rejected:
                _core.Errors.Publish(new ServerError("MERGE_REJECTED", $"{rejected.MapName}/{rejected.Key}: {rejected.Reason}"));
                break;
            case ShutdownPendingMessage shutdown:
                _retryAfter = TimeSpan.FromMilliseconds(shutdown.RetryAfter);
                break;
            default:
                if (!DispatchSync(message)) DispatchFeature(message);
                break;
        }
    }

    private void PumpOps()
    {
        if (!IsAuthenticated) return;
        while (_ops.InFlightBatches < _options.MaxInFlightBatches && _ops.UnsentCount > 0)
        {
            var batch = _ops.TakeBatch(_options.OpBatchSize);
            var ops = new ClientOp[batch.Count];
            for (var i = 0; i < ops.Length; i++) ops[i] = batch[i].Op;
            Send(new OpBatchMessage(ops));
        }
    }

    private void OnOpAck(OpAckMessage ack)
    {
        var (acked, failed) = _ops.Ack(ack);
        var resolved = new List<long>(acked.Count + failed.Count);
        foreach (var op in acked) resolved.Add(op.Id);
        foreach (var (op, reason) in failed)
        {
            resolved.Add(op.Id);
            _core.OpFailures.Publish(new OpFailure(op.Op.Id!, op.Op.MapName, op.Op.Key, reason));
        }
        Resolve(resolved);
        PumpOps();
        CheckSynced();
    }

    private void OnOpRejected(OpRejectedMessage rejected)
    {
        if (!long.TryParse(rejected.OpId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || !_ops.TryRemove(id, out var op)) return;
        _core.OpFailures.Publish(new OpFailure(rejected.OpId, op!.Op.MapName, op.Op.Key, rejected.Reason));
        Resolve([id]);
        PumpOps();
        CheckSynced();
    }

    private void DropOldest()
    {
        if (_core.PendingOps <= _options.MaxPendingOps || _ops.OldestUnsent is not { } id || !_ops.TryRemove(id, out var op)) return;
        Resolve([id]);
        _core.BackpressureEvents.Publish(new BackpressureEvent(BackpressureEventKind.OpDropped, _core.PendingOps, op!.Op.Id));
    }

    private void Resolve(List<long> ids)
    {
        if (ids.Count == 0) return;
        _core.Writer.Enqueue(new StoreWork.DeleteOps(ids));
        _core.OnOpsResolved(ids.Count);
    }

    /// <summary>Syncing becomes Connected once every pushed op is acknowledged and every map's pull finished.</summary>
    private void CheckSynced()
    {
        if (!IsAuthenticated) return;
        var walksDone = _walks.Values.All(w => w.Done);
        var opsDone = _ops.UnsentCount == 0 && _ops.InFlightBatches == 0;
        // Once Connected, ordinary writes in flight do not flip the state back; only a new map pull does.
        if (_core.State == ConnectionState.Connected) _core.SetState(walksDone ? ConnectionState.Connected : ConnectionState.Syncing);
        else _core.SetState(walksDone && opsDone ? ConnectionState.Connected : ConnectionState.Syncing);
    }

    protected override void PostStop()
    {
        _connection?.Abort();
        base.PostStop();
    }
}
