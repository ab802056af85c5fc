using System.Net.WebSockets;

namespace TopGun.Server.Gateway;

/// <summary>The WebSocket close codes of protocol.md §3.</summary>
internal static class CloseCodes
{
    public const WebSocketCloseStatus Shutdown = WebSocketCloseStatus.EndpointUnavailable; // 1001
    public const WebSocketCloseStatus ProtocolError = WebSocketCloseStatus.ProtocolError; // 1002
    public const WebSocketCloseStatus FrameTooBig = WebSocketCloseStatus.MessageTooBig; // 1009
    public const WebSocketCloseStatus NotReady = WebSocketCloseStatus.InternalServerError; // 1011
    public const WebSocketCloseStatus Overloaded = (WebSocketCloseStatus)1013;
    public const WebSocketCloseStatus AuthFailed = (WebSocketCloseStatus)4001;
    public const WebSocketCloseStatus HeartbeatTimeout = (WebSocketCloseStatus)4002;
}
