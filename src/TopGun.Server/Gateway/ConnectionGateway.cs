using System.Net.WebSockets;
using Akka.Actor;
using TopGun.Server.Clients;
using TopGun.Server.Configuration;
using TopGun.Server.Maps;
using TopGun.Server.Readiness;
using TopGun.Server.Security;
using TopGun.Server.Node;

namespace TopGun.Server.Gateway;

/// <summary>
/// The node's protocol gateway: one <see cref="ConnectionActor"/> and one <see cref="SocketConnection"/>
/// pump per accepted socket. Until the node is ready (shard regions up, journal answering) sockets are
/// closed 1011 "not ready", so a client retries instead of talking to a half-started node. On host
/// stop every connection gets SHUTDOWN_PENDING, a bounded wait for its in-flight writes, then close 1001.
/// Beyond <c>max-connections</c> open sockets, or <c>max-new-connections-per-second</c>, a socket is closed 1013.
/// </summary>
internal sealed class ConnectionGateway : IConnectionGateway
{
    private readonly ActorSystemService _actorSystem;
    private readonly ReadinessState _readiness;
    private readonly NodeConfiguration _node;
    private readonly TokenValidator _tokens;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly GatewaySettings _gatewaySettings;
    private readonly AccessControl _access;
    private readonly TokenBucket _newConnections;
    private int _open;
    private long _lastRefusalLog = long.MinValue / 2;
    private long _suppressedRefusals;
    private ConnectionDependencies? _dependencies;

    public ConnectionGateway(
        ActorSystemService actorSystem,
        ReadinessState readiness,
        NodeConfiguration node,
        TokenValidator tokens,
        AccessControl access,
        IHostApplicationLifetime lifetime,
        ILoggerFactory loggers)
    {
        _actorSystem = actorSystem;
        _readiness = readiness;
        _node = node;
        _tokens = tokens;
        _lifetime = lifetime;
        _loggers = loggers;
        _logger = loggers.CreateLogger<ConnectionGateway>();
        _gatewaySettings = GatewaySettings.FromConfig(node.Config);
        _access = access;
        _newConnections = new TokenBucket(_gatewaySettings.MaxNewConnectionsPerSecond, Math.Max(1, _gatewaySettings.MaxNewConnectionsPerSecond));
    }

    /// <summary>Client sockets currently served by this gateway.</summary>
    public int OpenConnections => Volatile.Read(ref _open);

    public async Task RunAsync(WebSocket socket, ClientConnectionInfo connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(connection);
        if (!_readiness.IsReady || _lifetime.ApplicationStopping.IsCancellationRequested || !MapRegions.Get(_actorSystem.System).IsStarted)
        {
            await new NotReadyConnectionGateway().RunAsync(socket, connection, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (Interlocked.Increment(ref _open) > _gatewaySettings.MaxConnections)
        {
            Interlocked.Decrement(ref _open);
            await RefuseAsync(socket, connection, "Too many connections").ConfigureAwait(false);
            return;
        }
        try
        {
            if (!_newConnections.TryTake())
            {
                await RefuseAsync(socket, connection, "Too many new connections").ConfigureAwait(false);
                return;
            }
            await ServeAsync(socket, connection).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }

    private async Task RefuseAsync(WebSocket socket, ClientConnectionInfo connection, string reason)
    {
        // A connection flood must not become a log flood: one line per second, with the count of the others.
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastRefusalLog);
        if (now - last >= 1000 && Interlocked.CompareExchange(ref _lastRefusalLog, now, last) == last)
        {
            var suppressed = Interlocked.Exchange(ref _suppressedRefusals, 0);
            _logger.LogWarning("Refusing client {ConnectionId} from {Address} with 1013: {Reason} ({Suppressed} more refused since the last line)",
                connection.ConnectionId, connection.RemoteAddress, reason, suppressed);
        }
        else
        {
            Interlocked.Increment(ref _suppressedRefusals);
        }
        using var timeout = new CancellationTokenSource(_gatewaySettings.CloseTimeout);
        try
        {
            await socket.CloseAsync(CloseCodes.Overloaded, reason, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            socket.Abort();
        }
    }

    private async Task ServeAsync(WebSocket socket, ClientConnectionInfo connection)
    {
        var settings = _node.Settings;
        var deps = Dependencies();
        using var pump = new SocketConnection(
            socket,
            connection.ConnectionId,
            connection.MaxFrameBytes,
            settings.Limits.OutboundQueueLimit,
            settings.Limits.OutboundQueueBytes,
            _gatewaySettings.InboundQueueLimit,
            settings.Coalescing,
            _loggers.CreateLogger<SocketConnection>(),
            closeTimeout: _gatewaySettings.CloseTimeout);
        var actor = _actorSystem.System.ActorOf(ConnectionActor.Props(connection.ConnectionId, pump, deps), "connection-" + connection.ConnectionId);
        _logger.LogDebug("Client {ConnectionId} connected from {Address}:{Port}", connection.ConnectionId, connection.RemoteAddress, connection.RemotePort);

        // Only the node stopping asks for a graceful close; a client that went away ends the pump by itself.
        await using var onStop = _lifetime.ApplicationStopping.Register(
            () => actor.Tell(ConnectionCommands.ShutdownRequested.Instance)).ConfigureAwait(false);
        try
        {
            await pump.RunAsync(actor).ConfigureAwait(false);
        }
        finally
        {
            _actorSystem.System.Stop(actor);
            _logger.LogDebug("Client {ConnectionId} disconnected ({Status})", connection.ConnectionId, pump.CloseStatus?.ToString() ?? "closed by client");
        }
    }

    private ConnectionDependencies Dependencies()
    {
        if (_dependencies is { } known) return known;
        var system = _actorSystem.System;
        var regions = MapRegions.Get(system);
        var deps = new ConnectionDependencies(
            _node.Settings,
            _gatewaySettings,
            _tokens,
            NodeClock.Get(system).Hlc,
            regions.Partitions,
            regions.MapTypes,
            regions.ChangeFeed,
            _access,
            StorageFailure: () => _readiness.JournalFailure);
        deps = deps with { Features = ConnectionFeatures.Standard(system, deps) };
        _dependencies = deps;
        return deps;
    }
}
