using Akka.Actor;
using Akka.Event;
using TopGun.Client.Storage;
using TopGun.Core.Protocol;

namespace TopGun.Client.Sync;

/// <summary>
/// The sync engine: runs the connection state machine, pushes the durable op log as OP_BATCH frames,
/// pulls each map's differences by Merkle walk, and applies what the server pushes to the replica.
/// Each connection state is its own behaviour (<see cref="EngineState"/>, switched with
/// <c>Become</c>): Idle → Connecting → Authenticating → Online (public state Syncing, then Connected)
/// → Backoff on any failure → Connecting …; Stopped once the client is disposed. Socket callbacks and
/// timers reach the actor as messages tagged with the connection generation or the connection itself,
/// so a late message from a dead socket is ignored.
/// Handlers are split by concern over partial files: this one (connection states), OpLog (pushing and
/// acknowledging ops), MerkleSync (map pulls and server events) and Features (queries, topics,
/// counters, locks).
/// </summary>
internal sealed partial class SyncEngineActor : ReceiveActor, IWithTimers
{
    private readonly ClientCore _core;
    private readonly TopGunClientOptions _options;
    private readonly OpLogTracker _ops = new();
    private readonly Random _random = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private EngineState _state = EngineState.Idle;
    private WebSocketConnection? _connection;
    private int _generation;
    private int _attempt;
    private long _lastPongAt;
    private TimeSpan? _retryAfter;

    public SyncEngineActor(ClientCore core, IReadOnlyList<PendingOp> restoredOps)
    {
        _core = core;
        _options = core.Options;
        foreach (var op in restoredOps) _ops.Add(op);
        foreach (var replica in core.Replicas) _maps[replica.Name] = replica;
        WhenIdle();
    }

    /// <summary>Where the connection is; each value has its own behaviour.</summary>
    private enum EngineState
    {
        /// <summary>Not started, local-only, or out of reconnect attempts.</summary>
        Idle,
        /// <summary>Token and WebSocket being obtained for generation <c>_generation</c>.</summary>
        Connecting,
        /// <summary>Socket open, AUTH sent, waiting for AUTH_ACK.</summary>
        Authenticating,
        /// <summary>Authenticated: ops are pushed, maps pulled, features subscribed.</summary>
        Online,
        /// <summary>Waiting for the reconnect timer.</summary>
        Backoff,
        /// <summary>The client was disposed; nothing connects again.</summary>
        Stopped,
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ClientCore core, IReadOnlyList<PendingOp> restoredOps) =>
        Akka.Actor.Props.Create(() => new SyncEngineActor(core, restoredOps));

    /// <summary>Frames other than AUTH go out only here; offline, features keep their requests for the next connection.</summary>
    private bool IsOnline => _state == EngineState.Online;

    private void WhenIdle()
    {
        Receive<EngineMessages.Start>(_ => { if (_options.ServerUrl is not null) BeginConnect(); });
        ReceiveInAnyState();
    }

    private void WhenConnecting()
    {
        Receive<EngineSignals.Connected>(OnConnected);
        ReceiveInAnyState();
    }

    /// <summary>Authenticating and Online: a socket is open, so inbound frames, its loss and the heartbeat matter.</summary>
    private void WhenSocketOpen()
    {
        Receive<EngineSignals.Inbound>(m => { if (m.Generation == _generation) Dispatch(m.Message); });
        Receive<EngineSignals.ConnectionLost>(m => { if (ReferenceEquals(m.Connection, _connection)) OnConnectionLost(m.Reason); });
        Receive<EngineSignals.HeartbeatTick>(_ => OnHeartbeat());
        ReceiveInAnyState();
    }

    private void WhenBackingOff()
    {
        Receive<EngineSignals.ReconnectTick>(_ => BeginConnect());
        ReceiveInAnyState();
    }

    private void WhenStopped() => ReceiveInAnyState();

    private void ReceiveInAnyState()
    {
        Receive<EngineMessages.Stop>(OnStop);
        Receive<EngineMessages.OpsDurable>(m =>
        {
            foreach (var op in m.Ops) _ops.Add(op);
            PumpOps();
        });
        Receive<EngineMessages.DropOldestOp>(_ => DropOldest());
        Receive<EngineMessages.MapAdded>(OnMapAdded);
        ReceiveFeatureMessages();
        // A connection from an attempt this engine no longer waits for.
        Receive<EngineSignals.Connected>(m => m.Connection?.Abort());
        // Late signals of a socket, timer or attempt that is gone.
        Receive<EngineSignals.Inbound>(_ => { });
        Receive<EngineSignals.ConnectionLost>(_ => { });
        Receive<EngineSignals.HeartbeatTick>(_ => { });
        Receive<EngineSignals.ReconnectTick>(_ => { });
        Receive<EngineMessages.Start>(_ => { });
    }

    private void Enter(EngineState state)
    {
        _state = state;
        switch (state)
        {
            case EngineState.Idle: Become(WhenIdle); break;
            case EngineState.Connecting: Become(WhenConnecting); break;
            case EngineState.Authenticating or EngineState.Online: Become(WhenSocketOpen); break;
            case EngineState.Backoff: Become(WhenBackingOff); break;
            case EngineState.Stopped: Become(WhenStopped); break;
        }
    }

    private void BeginConnect()
    {
        var url = _options.ServerUrl!;
        var generation = ++_generation;
        Enter(EngineState.Connecting);
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
        if (m.Generation != _generation)
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
        Enter(EngineState.Authenticating);
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
        Enter(EngineState.Online);
        _attempt = 0;
        _retryAfter = null;
        _core.SetState(ConnectionState.Syncing);
        _ops.ResetInFlight();
        PumpOps();
        foreach (var replica in _maps.Values) StartWalk(replica);
        ResubscribeFeatures();
        CheckSynced();
    }

    private void OnConnectionLost(string reason)
    {
        _log.Debug("Connection lost: {0}", reason);
        _connection?.Abort();
        _connection = null;
        Timers.Cancel("heartbeat");
        _ops.ResetInFlight();
        _walks.Clear();
        OnFeaturesDisconnected();
        ScheduleReconnect();
    }

    private void ScheduleReconnect()
    {
        _attempt++;
        if (_options.MaxReconnectAttempts is { } max && _attempt > max)
        {
            Enter(EngineState.Idle);
            _core.SetState(ConnectionState.Disconnected);
            return;
        }
        var delay = _retryAfter ?? Backoff.Delay(_attempt, _options.BackoffInitial, _options.BackoffMax, _random);
        _retryAfter = null;
        Enter(EngineState.Backoff);
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
        Enter(EngineState.Stopped);
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
                if (_state == EngineState.Authenticating) OnAuthenticated();
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

    protected override void PostStop()
    {
        _connection?.Abort();
        base.PostStop();
    }
}
