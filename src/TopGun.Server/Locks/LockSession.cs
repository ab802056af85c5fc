using Akka.Actor;
using Akka.Event;
using TopGun.Core.Protocol;
using TopGun.Server.Clients;

namespace TopGun.Server.Locks;

/// <summary>
/// The lock requests and releases of one client connection, a child of its <c>ConnectionActor</c> (whose
/// <see cref="LockRoute"/> validates and authorizes first). Locks are decided by the lock's <see cref="LeaseLock"/>
/// entity anywhere in the cluster; the connection, not this session, is the client's identity towards it: the
/// entity watches the connection, so closing it frees the client's locks, and its replies reach this session
/// through the connection. A waiting request is re-sent every <c>resend-interval</c> until answered (the entity
/// treats re-sends as no-ops), which rides out a lost message or the entity's failover without ever granting one
/// request twice: only the first answer reaches the client.
/// </summary>
internal sealed class LockSession : UntypedActor, IWithTimers
{
    private static readonly object ResendTimerKey = new();

    private readonly string _clientId;
    private readonly IClientChannel _channel;
    private readonly IActorRef _region;
    private readonly LockSettings _settings;
    private readonly RejectedInputLog _rejectedLog;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<(string Name, string RequestId), AcquireLock> _requests = [];
    private readonly Dictionary<long, (string Name, string RequestId)> _releases = [];
    private long _nextId;
    private IActorRef _client = ActorRefs.Nobody;

    public LockSession(string clientId, IClientChannel channel, IActorRef region, LockSettings settings, RejectedInputLog rejectedLog)
    {
        _clientId = clientId;
        _channel = channel;
        _region = region;
        _settings = settings;
        _rejectedLog = rejectedLog;
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string clientId, IClientChannel channel, IActorRef region, LockSettings settings, RejectedInputLog rejectedLog) =>
        Akka.Actor.Props.Create(() => new LockSession(clientId, channel, region, settings, rejectedLog));

    /// <summary>LOCK_REQUEST, already validated and authorized.</summary>
    public sealed record Request(string Name, string RequestId, long? Ttl);

    /// <summary>LOCK_RELEASE, already validated; <paramref name="RequestId"/> is "" when the client sent none.</summary>
    public sealed record Release(string Name, long FencingToken, string RequestId);

    protected override void PreStart() => _client = Context.Parent;

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case Request request:
                OnRequest(request);
                break;
            case Release release:
                OnRelease(release);
                break;
            case ILockReply reply:
                OnReply(reply);
                break;
            case ResendRequests:
                foreach (var acquire in _requests.Values) _region.Tell(acquire, _client);
                break;
            case ReleaseTimedOut timedOut:
                OnReleaseTimedOut(timedOut.Id);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void OnRequest(Request request)
    {
        var key = (request.Name, request.RequestId);
        if (!_requests.ContainsKey(key) && _requests.Count >= _settings.MaxPendingPerClient)
        {
            _rejectedLog.Warning(_log, "Client {0} has too many waiting lock requests: {1}", _clientId, request.Name);
            _channel.Send(ServerErrors.TooManyLockRequests(_settings.MaxPendingPerClient, request.RequestId));
            return;
        }
        var acquire = new AcquireLock(request.Name, request.RequestId, _settings.LeaseMillis(request.Ttl), _client);
        _requests[key] = acquire;
        _region.Tell(acquire, _client);
        if (_requests.Count == 1)
            Timers.StartPeriodicTimer(ResendTimerKey, ResendRequests.Instance, _settings.ResendInterval);
    }

    private void OnRelease(Release release)
    {
        var id = ++_nextId;
        _releases[id] = (release.Name, release.RequestId);
        Timers.StartSingleTimer(new ReleaseTimerKey(id), new ReleaseTimedOut(id), _settings.ReleaseTimeout);
        _region.Tell(new ReleaseLock(release.Name, release.FencingToken, id, _client), _client);
    }

    private void OnReply(ILockReply reply)
    {
        switch (reply)
        {
            case LockAcquired acquired:
                // Only the first answer to a request reaches the client: re-sends are answered again.
                if (!RemoveRequest(acquired.Name, acquired.RequestId)) return;
                _channel.Send(new LockGrantedMessage(acquired.RequestId, acquired.Name, acquired.FencingToken));
                break;
            case LockAcquireRefused refused:
                if (!RemoveRequest(refused.Name, refused.RequestId)) return;
                _rejectedLog.Warning(_log, "Lock request of client {0} refused: {1}", _clientId, refused.Reason);
                _channel.Send(ServerErrors.LockRefused(refused.Reason, refused.RequestId));
                break;
            case LockReleaseResult result:
                if (!_releases.Remove(result.CorrelationId, out var release)) return;
                Timers.Cancel(new ReleaseTimerKey(result.CorrelationId));
                _channel.Send(new LockReleasedMessage(release.RequestId, release.Name, result.Success));
                break;
        }
    }

    private void OnReleaseTimedOut(long id)
    {
        if (!_releases.Remove(id, out var release)) return;
        _log.Warning("Client {0}: LOCK_RELEASE of '{1}' got no answer in time; told the client success = false", _clientId, release.Name);
        _channel.Send(new LockReleasedMessage(release.RequestId, release.Name, false));
    }

    private bool RemoveRequest(string name, string requestId)
    {
        if (!_requests.Remove((name, requestId))) return false;
        if (_requests.Count == 0) Timers.Cancel(ResendTimerKey);
        return true;
    }

    private sealed record ResendRequests
    {
        public static readonly ResendRequests Instance = new();
    }

    private sealed record ReleaseTimedOut(long Id);

    private sealed record ReleaseTimerKey(long Id);
}
