using System.Net.WebSockets;

namespace TopGun.Server.Gateway;

/// <summary>The gateway of a node without protocol handling: closes every socket with 1011 "not ready".</summary>
internal sealed class NotReadyConnectionGateway : IConnectionGateway
{
    // A client that never answers our close frame must not hold the request open.
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(5);

    public async Task RunAsync(WebSocket socket, ClientConnectionInfo connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(socket);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CloseHandshakeTimeout);
        try
        {
            await socket.CloseAsync(WebSocketCloseStatus.InternalServerError, "not ready", timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            socket.Abort();
        }
    }
}
