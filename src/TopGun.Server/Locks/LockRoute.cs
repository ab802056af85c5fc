using Akka.Actor;
using TopGun.Core.Protocol;
using TopGun.Server.Clients;
using TopGun.Server.Security;

namespace TopGun.Server.Locks;

/// <summary>
/// LOCK_REQUEST / LOCK_RELEASE (protocol.md §5 "Locks") at one connection: the name is checked and PUT on
/// <c>lock:&lt;name&gt;</c> authorized here, under the frame's credit; the rest is the connection's
/// <see cref="LockSession"/>, started on the first request, which also receives the entities' replies.
/// </summary>
internal sealed class LockRoute(IConnectionScope connection, LockRegion locks) : ISessionRoute
{
    private IActorRef? _session;
    private bool _closed;

    /// <summary>Locks as a connection feature, reached through the node's <see cref="LockRegion"/>.</summary>
    public sealed record Feature(LockRegion Locks) : IConnectionFeature
    {
        public ISessionRoute Open(IConnectionScope connection) => new LockRoute(connection, Locks);
    }

    public bool TryRoute(Message message)
    {
        switch (message)
        {
            case LockRequestMessage request:
                OnRequest(request);
                return true;
            case LockReleaseMessage release:
                OnRelease(release);
                return true;
            default:
                return false;
        }
    }

    public bool TryDeliver(object message)
    {
        if (message is not ILockReply reply) return false;
        if (!_closed) _session?.Tell(reply);
        return true;
    }

    public void Close()
    {
        _closed = true;
        if (_session is { } session) connection.StopSession(session);
        _session = null;
    }

    private void OnRequest(LockRequestMessage request)
    {
        var settings = locks.Settings;
        if (!CheckName(MessageTypes.LockRequest, request.Name, settings)) return;
        if (!connection.Grant(AccessControl.LockResource(request.Name)).Allows(AccessAction.Put))
        {
            connection.Denied($"{MessageTypes.LockRequest} on lock '{request.Name}'", ServerErrors.DeniedOnLock(request.Name));
            return;
        }
        if (locks.Region is not { } region)
        {
            connection.Channel.Send(ServerErrors.LocksUnavailable(request.Name));
            return;
        }
        Session(region, settings).Tell(new LockSession.Request(request.Name, request.RequestId, request.Ttl));
    }

    private void OnRelease(LockReleaseMessage release)
    {
        var settings = locks.Settings;
        if (!CheckName(MessageTypes.LockRelease, release.Name, settings)) return;
        var requestId = release.RequestId ?? "";
        if (locks.Region is not { } region)
        {
            connection.Channel.Send(new LockReleasedMessage(requestId, release.Name, false));
            return;
        }
        Session(region, settings).Tell(new LockSession.Release(release.Name, release.FencingToken, requestId));
    }

    private bool CheckName(string type, string name, LockSettings settings)
    {
        if (settings.CheckName(name) is not { } problem) return true;
        connection.InvalidMessage($"{type}: {problem}");
        return false;
    }

    private IActorRef Session(IActorRef region, LockSettings settings) =>
        _session ??= connection.StartSession(
            LockSession.Props(connection.ClientId, connection.Channel, region, settings, connection.RejectedLog), "locks");
}
