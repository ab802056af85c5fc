using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;
using TopGun.Core.Protocol;

namespace TopGun.Client.Sync;

/// <summary>
/// One WebSocket to the server: a receive loop that decodes frames (BATCH frames are unwrapped by
/// the codec) and a send loop draining an outbound queue, because a WebSocket allows one send at a
/// time. Reports every decoded message and, once, the end of the connection.
/// </summary>
internal sealed class WebSocketConnection
{
    private readonly ClientWebSocket _socket;
    private readonly Channel<Message> _outbound = Channel.CreateUnbounded<Message>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _cts = new();
    private int _closed;

    private WebSocketConnection(ClientWebSocket socket) => _socket = socket;

    public static async Task<WebSocketConnection> ConnectAsync(Uri url, TimeSpan timeout, CancellationToken ct)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeoutCts.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(url, timeoutCts.Token).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new WebSocketConnection(socket);
    }

    public void Start(Action<Message> onMessage, Action<string> onClosed)
    {
        _ = Task.Run(() => ReceiveLoop(onMessage, onClosed));
        _ = Task.Run(() => SendLoop(onClosed));
    }

    public void Send(Message message) => _outbound.Writer.TryWrite(message);

    /// <summary>Closes without waiting for the peer.</summary>
    public void Abort()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        _outbound.Writer.TryComplete();
        _cts.Cancel();
        _socket.Abort();
        _socket.Dispose();
    }

    /// <summary>Sends what is queued, then closes politely (bounded by <paramref name="timeout"/>).</summary>
    public async Task CloseAsync(TimeSpan timeout)
    {
        _outbound.Writer.TryComplete();
        try
        {
            using var cts = new CancellationTokenSource(timeout);
            if (_socket.State == WebSocketState.Open)
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "client closing", cts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The server went away first; nothing left to close.
        }
        Abort();
    }

    private async Task ReceiveLoop(Action<Message> onMessage, Action<string> onClosed)
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        var reason = "closed";
        try
        {
            while (!_cts.IsCancellationRequested)
            {
                buffer.ResetWrittenCount();
                ValueWebSocketReceiveResult result;
                do
                {
                    var memory = buffer.GetMemory(16 * 1024);
                    result = await _socket.ReceiveAsync(memory, _cts.Token).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        reason = $"closed by server ({(int?)_socket.CloseStatus} {_socket.CloseStatusDescription})";
                        return;
                    }
                    buffer.Advance(result.Count);
                } while (!result.EndOfMessage);

                if (WireCodec.Default.TryDecode(buffer.WrittenMemory, out var message, out _) && message is not null)
                    onMessage(message);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            reason = e.Message;
        }
        finally
        {
            Abort();
            onClosed(reason);
        }
    }

    private async Task SendLoop(Action<string> onClosed)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        try
        {
            await foreach (var message in _outbound.Reader.ReadAllAsync(_cts.Token).ConfigureAwait(false))
            {
                buffer.ResetWrittenCount();
                WireCodec.Encode(message, buffer);
                await _socket.SendAsync(buffer.WrittenMemory, WebSocketMessageType.Binary, true, _cts.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            Abort();
            onClosed(e.Message);
        }
    }
}
