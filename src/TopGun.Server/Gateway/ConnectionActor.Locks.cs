using Akka.Actor;
using Akka.Event;
using TopGun.Core.Protocol;
using TopGun.Core.Values;
using TopGun.Server.Clients;
using TopGun.Server.Locks;
using TopGun.Server.Security;

namespace TopGun.Server.Gateway;

/// <summary>
/// LOCK_REQUEST / LOCK_RELEASE (protocol.md §5 "Locks"): validated and authorized here (PUT on <c>lock:&lt;name&gt;</c>),
/// decided by the lock's <see cref="LeaseLock"/> entity anywhere in the cluster. This actor is the client's identity
/// for its locks: the entity watches it, so closing the connection frees them. A waiting request is re-sent every
/// <c>resend-interval</c> until granted (the entity treats re-sends as no-ops), which rides out a lost message or
/// the entity's failover without ever granting one request twice.
/// </summary>
public sealed partial class ConnectionActor
{
    private static readonly object LockResendTimerKey = new();

    private readonly Dictionary<(string Name, string RequestId), AcquireLock> _lockRequests = [];
    private readonly Dictionary<long, (string Name, string RequestId)> _lockReleases = [];

    private void OnLockRequest(LockRequestMessage request)
    {
        var locks = LockRegion.Get(Context.System);
        if (!CheckLockInput(MessageTypes.LockRequest, request.Name, locks.Settings)) return;
        if (!Grant(AccessControl.LockResource(request.Name)).Allows(AccessAction.Put))
        {
            LockDenied(request.Name);
            return;
        }
        if (locks.Region is not { } region)
        {
            _channel.Send(ServerErrors.LocksUnavailable(request.Name));
            return;
        }
        var key = (request.Name, request.RequestId);
        if (!_lockRequests.ContainsKey(key) && _lockRequests.Count >= locks.Settings.MaxPendingPerClient)
        {
            LogRejected("Client {0} has too many waiting lock requests: {1}", request.Name);
            _channel.Send(ServerErrors.TooManyLockRequests(locks.Settings.MaxPendingPerClient, request.RequestId));
            return;
        }
        var acquire = new AcquireLock(request.Name, request.RequestId, locks.Settings.LeaseMillis(request.Ttl), Self);
        _lockRequests[key] = acquire;
        region.Tell(acquire, Self);
        if (_lockRequests.Count == 1)
            Timers.StartPeriodicTimer(LockResendTimerKey, ResendLockRequests.Instance, locks.Settings.ResendInterval);
    }

    private void OnLockRelease(LockReleaseMessage release)
    {
        var locks = LockRegion.Get(Context.System);
        if (!CheckLockInput(MessageTypes.LockRelease, release.Name, locks.Settings)) return;
        var requestId = release.RequestId ?? "";
        if (locks.Region is not { } region)
        {
            _channel.Send(new LockReleasedMessage(requestId, release.Name, false));
            return;
        }
        var id = ++_nextId;
        _lockReleases[id] = (release.Name, requestId);
        Timers.StartSingleTimer(new LockReleaseTimerKey(id), new LockReleaseTimedOut(id), locks.Settings.ReleaseTimeout);
        region.Tell(new ReleaseLock(release.Name, release.FencingToken, id, Self), Self);
    }

    private void OnLockReply(ILockReply reply)
    {
        switch (reply)
        {
            case LockAcquired acquired:
                // Only the first answer to a request reaches the client: re-sends are answered again.
                if (!RemoveLockRequest(acquired.Name, acquired.RequestId)) return;
                _channel.Send(new LockGrantedMessage(acquired.RequestId, acquired.Name, acquired.FencingToken));
                break;
            case LockAcquireRefused refused:
                if (!RemoveLockRequest(refused.Name, refused.RequestId)) return;
                LogRejected("Lock request of client {0} refused: {1}", refused.Reason);
                _channel.Send(ServerErrors.LockRefused(refused.Reason, refused.RequestId));
                break;
            case LockReleaseResult result:
                if (!_lockReleases.Remove(result.CorrelationId, out var release)) return;
                Timers.Cancel(new LockReleaseTimerKey(result.CorrelationId));
                _channel.Send(new LockReleasedMessage(release.RequestId, release.Name, result.Success));
                break;
        }
    }

    private void OnLockTimer(ILockTimer timer)
    {
        switch (timer)
        {
            case ResendLockRequests:
                if (LockRegion.Get(Context.System).Region is { } region)
                {
                    foreach (var acquire in _lockRequests.Values) region.Tell(acquire, Self);
                }
                break;
            case LockReleaseTimedOut timedOut:
                if (_lockReleases.Remove(timedOut.Id, out var release))
                {
                    _log.Warning("Client {0}: LOCK_RELEASE of '{1}' got no answer in time; told the client success = false", _clientId, release.Name);
                    _channel.Send(new LockReleasedMessage(release.RequestId, release.Name, false));
                }
                break;
        }
    }

    private bool RemoveLockRequest(string name, string requestId)
    {
        if (!_lockRequests.Remove((name, requestId))) return false;
        if (_lockRequests.Count == 0) Timers.Cancel(LockResendTimerKey);
        return true;
    }

    private bool CheckLockInput(string type, string name, LockSettings settings)
    {
        if (settings.CheckName(name) is not { } problem) return true;
        InvalidMessage($"{type}: {problem}");
        return false;
    }

    private void LockDenied(string name)
    {
        LogRejected("Client {0} was denied: {1}", $"{MessageTypes.LockRequest} on lock '{name}' for {_principal}");
        _channel.Send(ServerErrors.DeniedOnLock(name));
    }

    /// <summary>This partial's own timer messages.</summary>
    private interface ILockTimer;

    private sealed record ResendLockRequests : ILockTimer
    {
        public static readonly ResendLockRequests Instance = new();
    }

    private sealed record LockReleaseTimedOut(long Id) : ILockTimer;

    private sealed record LockReleaseTimerKey(long Id);
}
