using System.Net.WebSockets;
using TopGun.Core.Protocol;

namespace TopGun.Server.Clients;

/// <summary>
/// The outbound side of one client socket as its connection and the connection's sessions see it. Thread-safe
/// and never blocking: a full queue drops the client (close 1013) instead of growing server memory. Lives
/// apart from <c>Gateway/</c> so that the feature sessions the gateway starts do not depend back on it.
/// </summary>
internal interface IClientChannel
{
    /// <summary>Queues a message; false when the connection is closing or was dropped for being too slow.</summary>
    bool Send(Message message);

    /// <summary>Sends what is already queued, then closes the socket; the first close request wins.</summary>
    void Close(WebSocketCloseStatus status, string reason);

    /// <summary>Hands back the inbound credit of one frame, so the socket reader may pass on the next one.</summary>
    void FrameProcessed();
}
