using TopGun.Core.Protocol;

namespace TopGun.Server.Clients;

/// <summary>
/// One feature's entry in a connection's routing table. It runs inside the connection's receive: it validates
/// and authorizes the feature's frames while they still hold their inbound credit (so a client's flood is
/// answered before it costs more than the frame), then hands them to the feature's session, a child actor of the
/// connection started on first use, which holds all of the feature's per-client state.
/// </summary>
internal interface ISessionRoute
{
    /// <summary>Takes a client message of this feature (the client is authenticated); false when it is not this feature's.</summary>
    bool TryRoute(Message message);

    /// <summary>
    /// Takes a node message that reached the connection for this feature: node actors address the connection, the
    /// client's identity they watch (lock replies, topic deliveries, map changes); false when it is not this feature's.
    /// </summary>
    bool TryDeliver(object message);

    /// <summary>The connection is closing: nothing more reaches its client, so the session stops and deliveries are dropped.</summary>
    void Close();
}
