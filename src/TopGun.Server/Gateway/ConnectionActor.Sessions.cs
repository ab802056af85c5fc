using Akka.Actor;
using TopGun.Core.Protocol;
using TopGun.Server.Clients;
using TopGun.Server.Security;

namespace TopGun.Server.Gateway;

/// <summary>
/// What the connection lends its feature routes (<see cref="ConnectionSessions"/>): its identity, channel,
/// grants, map-name rule and rate-limited rejection log, and its children for their sessions.
/// </summary>
internal sealed partial class ConnectionActor : IConnectionScope
{
    private ConnectionSessions _sessions = null!;

    string IConnectionScope.ClientId => _clientId;

    IClientChannel IConnectionScope.Channel => _channel;

    IActorRef IConnectionScope.Connection => Self;

    AccessGrant IConnectionScope.Grant(string resource) => Grant(resource);

    string? IConnectionScope.CheckMapName(string mapName) => CheckMapName(mapName);

    void IConnectionScope.InvalidMessage(string details) => InvalidMessage(details);

    void IConnectionScope.Denied(string what, ErrorMessage reply) => Denied(what, reply);

    void IConnectionScope.LogRejected(string template, object detail) => LogRejected(template, detail);

    RejectedInputLog IConnectionScope.RejectedLog => _rejectedLog;

    IActorRef IConnectionScope.StartSession(Props props, string name) => Context.ActorOf(props, name);

    void IConnectionScope.StopSession(IActorRef session) => Context.Stop(session);

    private void OpenSessions() =>
        _sessions = ConnectionSessions.Open(_deps.Features ?? ConnectionFeatures.Standard(Context.System, _deps), this);
}
