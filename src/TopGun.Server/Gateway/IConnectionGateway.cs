using System.Net.WebSockets;

namespace TopGun.Server.Gateway;

/// <summary>
/// Takes over an accepted client WebSocket. The HTTP request (and so the socket) lives until the
/// returned task completes; <paramref name="cancellationToken"/> fires when the client goes away or
/// the node shuts down. Inbound frames larger than <see cref="ClientConnectionInfo.MaxFrameBytes"/>
/// are the implementation's to reject (ASP.NET Core has no per-message limit).
/// </summary>
internal interface IConnectionGateway
{
    Task RunAsync(WebSocket socket, ClientConnectionInfo connection, CancellationToken cancellationToken);
}
