using TopGun.Core.Protocol;
using TopGun.Server.Clients;

namespace TopGun.Server.Gateway;

/// <summary>
/// A connection's routing table: one <see cref="ISessionRoute"/> per feature of <see cref="ConnectionDependencies.Features"/>,
/// asked in order. The connection keeps what is per-socket (authentication, writes, sync) and routes the rest here.
/// </summary>
internal sealed class ConnectionSessions(IReadOnlyList<ISessionRoute> routes)
{
    public static ConnectionSessions Open(IEnumerable<IConnectionFeature> features, IConnectionScope connection) =>
        new(features.Select(f => f.Open(connection)).ToArray());

    /// <summary>Hands a client message to its feature; false when no feature takes it.</summary>
    public bool Route(Message message)
    {
        foreach (var route in routes)
        {
            if (route.TryRoute(message)) return true;
        }
        return false;
    }

    /// <summary>Hands a node message addressed to the connection to its feature; false when no feature takes it.</summary>
    public bool Deliver(object message)
    {
        foreach (var route in routes)
        {
            if (route.TryDeliver(message)) return true;
        }
        return false;
    }

    public void Close()
    {
        foreach (var route in routes) route.Close();
    }
}
