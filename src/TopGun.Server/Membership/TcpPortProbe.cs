using System.Net.Sockets;

namespace TopGun.Server.Membership;

/// <summary>Connects and closes at once; only a reset from the host counts as <see cref="PortState.Refused"/>.</summary>
internal sealed class TcpPortProbe : IPortProbe
{
    public static readonly TcpPortProbe Instance = new();

    public async Task<PortState> ProbeAsync(string host, int port, TimeSpan timeout)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await socket.ConnectAsync(host, port, cancel.Token).ConfigureAwait(false);
            return PortState.Listening;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return PortState.Refused;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return PortState.Unknown;
        }
    }
}
