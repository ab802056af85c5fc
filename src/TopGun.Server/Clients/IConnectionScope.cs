using Akka.Actor;
using TopGun.Core.Protocol;
using TopGun.Server.Security;

namespace TopGun.Server.Clients;

/// <summary>
/// What a connection lends the <see cref="ISessionRoute"/>s of its features. Only valid inside the connection's
/// receive, which is the only place routes are called from.
/// </summary>
internal interface IConnectionScope
{
    string ClientId { get; }

    IClientChannel Channel { get; }

    /// <summary>The connection actor: the client's identity for node actors, which watch it so its locks and subscriptions end with it.</summary>
    IActorRef Connection { get; }

    /// <summary>What the authenticated principal may do on <paramref name="resource"/>; cached for the connection's life.</summary>
    AccessGrant Grant(string resource);

    /// <summary>Why <paramref name="mapName"/> cannot name a map, or null when it can.</summary>
    string? CheckMapName(string mapName);

    /// <summary>Logs (rate-limited) and answers ERROR 400.</summary>
    void InvalidMessage(string details);

    /// <summary>Logs (rate-limited) that <paramref name="what"/> was denied to the principal and sends <paramref name="reply"/>.</summary>
    void Denied(string what, ErrorMessage reply);

    /// <summary>Logs one line about rejected input, rate-limited per connection; <c>{0}</c> is the client id, <c>{1}</c> the detail.</summary>
    void LogRejected(string template, object detail);

    /// <summary>The connection's rate-limited log of rejected input, shared with its sessions (thread-safe), so the bound is per client.</summary>
    RejectedInputLog RejectedLog { get; }

    /// <summary>Starts a session as a child of the connection: it stops with the connection at the latest.</summary>
    IActorRef StartSession(Props props, string name);

    void StopSession(IActorRef session);
}
