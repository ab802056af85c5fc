using System.Diagnostics;
using System.Net.WebSockets;
using Akka.Actor;
using Akka.Event;
using TopGun.Core.Crdt;
using TopGun.Core.Protocol;
using TopGun.Server.Clients;
using TopGun.Server.Maps;
using TopGun.Server.Security;

namespace TopGun.Server.Gateway;

/// <summary>
/// One client connection (protocol.md §3): authentication, heartbeat, decoding errors, and routing of
/// the client's messages to map partitions. Handlers are split by concern over partial files: writes
/// (<c>ConnectionActor.Writes.cs</c>), Merkle sync (<c>.Sync.cs</c>). Every other feature (live queries,
/// counters, locks, topics) is one route of <see cref="ConnectionSessions"/> with its state in a child session
/// (<c>.Sessions.cs</c>). Never blocks: every partition call is a Tell correlated by id with a timeout
/// (<see cref="PartitionGathers"/>).
/// </summary>
internal sealed partial class ConnectionActor : UntypedActor, IWithTimers
{
    private static readonly object AuthTimerKey = new();
    private static readonly object IdleTimerKey = new();
    private static readonly object ShutdownTimerKey = new();
    private static readonly object GcPruneTimerKey = new();

    private readonly string _clientId;
    private readonly IClientChannel _channel;
    private readonly ConnectionDependencies _deps;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly RejectedInputLog _rejectedLog;
    private readonly AccessControl _access;
    private readonly TokenBucket _opRate;
    private readonly Queue<Message> _heldDuringAuth = new();
    private readonly string[] _partitions;
    private readonly int _prefixLength;
    private PartitionGathers _gathers = null!;
    private Principal? _principal;
    private bool _authenticating;
    private long _lastInbound = Stopwatch.GetTimestamp();
    private bool _closing;
    private bool _shuttingDown;

    public ConnectionActor(string clientId, IClientChannel channel, ConnectionDependencies deps)
    {
        _clientId = clientId;
        _channel = channel;
        _deps = deps;
        _rejectedLog = new RejectedInputLog(deps.Gateway.RejectedLogLimit, deps.Gateway.RejectedLogWindow);
        _access = deps.Access ?? AccessControl.Default;
        _opRate = new TokenBucket(deps.Gateway.OpRatePerSecond, deps.Gateway.OpRateBurst);
        _partitions = PartitionKey.All(deps.Settings.PartitionCount).ToArray();
        _prefixLength = PartitionKey.PrefixLength(deps.Settings.PartitionCount);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string clientId, IClientChannel channel, ConnectionDependencies deps) =>
        Akka.Actor.Props.Create(() => new ConnectionActor(clientId, channel, deps));

    /// <summary>The authenticated principal; null before AUTH_ACK.</summary>
    private bool IsAuthenticated => _principal is not null;

    protected override void PreStart()
    {
        _gathers = new PartitionGathers(_deps.Partitions, Timers, Self);
        OpenSessions();
        _channel.Send(new AuthRequiredMessage());
        Timers.StartSingleTimer(AuthTimerKey, AuthTimedOut.Instance, _deps.Settings.Limits.AuthTimeout);
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case ConnectionCommands.InboundFrame frame:
                OnFrame(frame.Message);
                break;
            case ConnectionCommands.InboundRejected rejected:
                _lastInbound = Stopwatch.GetTimestamp();
                try
                {
                    OnDecodeError(rejected.Error);
                }
                finally
                {
                    _channel.FrameProcessed();
                }
                break;
            case MapTypeClaimed claimed:
                OnMapTypeClaimed(claimed);
                break;
            case ClaimUnanswered unanswered:
                OnClaimUnanswered(unanswered);
                break;
            case AuthChecked checkedAuth:
                OnAuthChecked(checkedAuth.Outcome);
                break;
            case IdleCheck:
                CheckIdle();
                break;
            case GcPruneDue:
                SendGcPrune();
                break;
            case AuthTimedOut:
                if (!IsAuthenticated) CloseWith(CloseCodes.AuthFailed, "Authentication timeout");
                break;
            case ConnectionCommands.ShutdownRequested:
                BeginShutdown();
                break;
            case ShutdownGraceElapsed:
                CloseWith(CloseCodes.Shutdown, "Server shutting down");
                break;
            case ConnectionCommands.ConnectionLost:
                Context.Stop(Self);
                break;
            default:
                // Node actors address the connection as the client's identity (map changes, lock replies, topic deliveries).
                if (!_gathers.Handle(message) && !_sessions.Deliver(message)) Unhandled(message);
                break;
        }
    }

    private void OnFrame(Message message)
    {
        _lastInbound = Stopwatch.GetTimestamp();
        if (_authenticating && message is not PingMessage)
        {
            // Keeps its inbound credit until replayed, so held frames are bounded by the credit limit.
            _heldDuringAuth.Enqueue(message);
            return;
        }
        try
        {
            OnClientMessage(message);
        }
        finally
        {
            _channel.FrameProcessed();
        }
    }

    private void OnClientMessage(Message message)
    {
        if (_closing) return;
        if (!IsAuthenticated)
        {
            switch (message)
            {
                case AuthMessage auth:
                    StartAuthentication(auth.Token);
                    break;
                case PingMessage ping:
                    Pong(ping);
                    break;
                default:
                    CloseWith(CloseCodes.AuthFailed, "Auth required");
                    break;
            }
            return;
        }

        switch (message)
        {
            case AuthMessage:
                // A second AUTH after success changes nothing (protocol.md §3).
                break;
            case PingMessage ping:
                Pong(ping);
                break;
            case ClientOpMessage op:
                OnWrite([op.Op], null, null, single: true);
                break;
            case OpBatchMessage batch:
                OnWrite(batch.Ops.AsSpan().ToArray(), batch.WriteConcern, batch.Timeout, single: false);
                break;
            case SyncInitMessage init:
                OnSyncInit(init);
                break;
            case MerkleReqBucketMessage bucket:
                OnBucketRequest(bucket.MapName, bucket.Path, MapKind.Lww);
                break;
            case OrMapSyncInitMessage init:
                OnOrSyncInit(init);
                break;
            case OrMapMerkleReqBucketMessage bucket:
                OnBucketRequest(bucket.MapName, bucket.Path, MapKind.Or);
                break;
            case OrMapDiffRequestMessage diff:
                OnOrDiffRequest(diff);
                break;
            case OrMapPushDiffMessage push:
                OnOrPushDiff(push);
                break;
            case BatchMessage batch:
                foreach (var inner in batch.Messages) OnClientMessage(inner);
                break;
            default:
                if (_sessions.Route(message)) break;
                if (IsNotImplemented(message.Type))
                    _channel.Send(ServerErrors.NotImplemented(message.Type));
                else
                    InvalidMessage($"{message.Type} is sent by the server, not by clients");
                break;
        }
    }

    /// <summary>Client-to-server features this server does not offer yet: answered honestly, never silently dropped.</summary>
    internal static bool IsNotImplemented(string type) => type is
        MessageTypes.EntryProcess or MessageTypes.EntryProcessBatch or
        MessageTypes.JournalSubscribe or MessageTypes.JournalUnsubscribe or MessageTypes.JournalRead or
        MessageTypes.RegisterResolver or MessageTypes.UnregisterResolver or MessageTypes.ListResolvers or
        MessageTypes.Search or MessageTypes.SearchSub or MessageTypes.SearchUnsub or
        MessageTypes.PartitionMapRequest;

    private void OnDecodeError(DecodeError error)
    {
        if (_closing) return;
        LogRejected("Rejected input from client {0}: {1}", error);
        if (error.Kind == DecodeErrorKind.NotAProtocolFrame)
        {
            CloseWith(CloseCodes.ProtocolError, "Protocol error");
            return;
        }
        _channel.Send(ServerErrors.InvalidMessage(error.ToString()));
    }

    private void InvalidMessage(string details)
    {
        LogRejected("Rejected input from client {0}: {1}", details);
        _channel.Send(ServerErrors.InvalidMessage(details));
    }

    private void LogRejected(string template, object detail) => _rejectedLog.Warning(_log, template, _clientId, detail);

    private void Pong(PingMessage ping) =>
        _channel.Send(new PongMessage(ping.Timestamp, _deps.Clock.WallMillis()));

    private void StartAuthentication(string token)
    {
        _authenticating = true;
        _deps.Tokens.ValidateAsync(token).PipeTo(
            Self,
            success: outcome => new AuthChecked(outcome),
            failure: _ => new AuthChecked(new AuthenticationOutcome.Rejected("Invalid token")));
    }

    private void OnAuthChecked(AuthenticationOutcome outcome)
    {
        _authenticating = false;
        if (_closing)
        {
            ReleaseHeld(replay: false);
            return;
        }
        switch (outcome)
        {
            case AuthenticationOutcome.Accepted accepted:
                _principal = accepted.Principal;
                Timers.Cancel(AuthTimerKey);
                _channel.Send(new AuthAckMessage());
                _lastInbound = Stopwatch.GetTimestamp();
                var interval = TimeSpan.FromTicks(Math.Max(_deps.Settings.Limits.IdleTimeout.Ticks / 4, TimeSpan.TicksPerMillisecond * 50));
                Timers.StartPeriodicTimer(IdleTimerKey, IdleCheck.Instance, interval);
                Timers.StartPeriodicTimer(GcPruneTimerKey, GcPruneDue.Instance, _deps.Gateway.GcPruneInterval);
                ReleaseHeld(replay: true);
                break;
            case AuthenticationOutcome.Rejected rejected:
                _log.Info("Client {0} failed authentication: {1}", _clientId, rejected.Reason);
                _channel.Send(new AuthFailMessage(rejected.Reason));
                CloseWith(CloseCodes.AuthFailed, "Authentication failed");
                ReleaseHeld(replay: false);
                break;
        }
    }

    private void ReleaseHeld(bool replay)
    {
        while (_heldDuringAuth.TryDequeue(out var held))
        {
            try
            {
                if (replay) OnClientMessage(held);
            }
            finally
            {
                _channel.FrameProcessed();
            }
        }
    }

    private void CheckIdle()
    {
        if (_closing) return;
        if (Stopwatch.GetElapsedTime(_lastInbound) > _deps.Settings.Limits.IdleTimeout)
            CloseWith(CloseCodes.HeartbeatTimeout, "Heartbeat timeout");
    }

    private void BeginShutdown()
    {
        if (_shuttingDown || _closing) return;
        _shuttingDown = true;
        _channel.Send(new ShutdownPendingMessage(5000));
        if (_writes.Count == 0)
            CloseWith(CloseCodes.Shutdown, "Server shutting down");
        else
            Timers.StartSingleTimer(ShutdownTimerKey, ShutdownGraceElapsed.Instance, _deps.Gateway.ShutdownGrace);
    }

    private void CloseWith(WebSocketCloseStatus status, string reason)
    {
        if (_closing) return;
        _closing = true;
        Timers.CancelAll();
        // Nothing more reaches a closing client: its sessions stop now, not when the socket is gone.
        _sessions.Close();
        _channel.Close(status, reason);
    }

    private string PartitionOf(string key) => PartitionKey.Of(key, _deps.Settings.PartitionCount);

    private string? CheckMapName(string mapName)
    {
        if (string.IsNullOrEmpty(mapName)) return "mapName must not be empty";
        if (mapName.Length > _deps.Gateway.MaxMapNameLength) return $"mapName is longer than {_deps.Gateway.MaxMapNameLength} characters";
        return null;
    }

    private sealed record AuthChecked(AuthenticationOutcome Outcome);

    private sealed record AuthTimedOut
    {
        public static readonly AuthTimedOut Instance = new();
    }

    private sealed record IdleCheck
    {
        public static readonly IdleCheck Instance = new();
    }

    private sealed record GcPruneDue
    {
        public static readonly GcPruneDue Instance = new();
    }

    private sealed record ShutdownGraceElapsed
    {
        public static readonly ShutdownGraceElapsed Instance = new();
    }
}
