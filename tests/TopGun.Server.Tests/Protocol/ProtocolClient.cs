using System.Net.Http;
using System.Net.Sockets;
using System.Net.WebSockets;
using TopGun.Core.Protocol;

namespace TopGun.Server.Tests.Protocol;

/// <summary>
/// A minimal TopGun client over a real <see cref="ClientWebSocket"/>: Core's codec both ways, BATCH frames
/// unwrapped (and counted) like the TS client does, close frames surfaced for assertions.
/// </summary>
public sealed class ProtocolClient : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private readonly ClientWebSocket _socket = new();
    private readonly Queue<Message> _inbox = new();
    private byte[] _buffer = new byte[64 * 1024];
    private HttpMessageInvoker? _invoker;

    private ProtocolClient()
    {
    }

    /// <summary>BATCH frames received so far (each one counted once, however many messages it held).</summary>
    public int BatchFrames { get; private set; }

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public string? CloseDescription => _socket.CloseStatusDescription;

    public WebSocketState State => _socket.State;

    public static async Task<ProtocolClient> ConnectAsync(Uri address)
    {
        var client = new ProtocolClient();
        await client._socket.ConnectAsync(address, CancellationToken.None).WaitAsync(DefaultTimeout);
        return client;
    }

    /// <summary>
    /// Connects over a TCP socket with a fixed, small kernel receive buffer (no autotuning), so a client that
    /// stops reading stalls the server's sends after a few kilobytes instead of tens of megabytes.
    /// </summary>
    public static async Task<ProtocolClient> ConnectWithSmallReceiveBufferAsync(Uri address, int receiveBufferBytes)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = receiveBufferBytes, NoDelay = true };
                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        var client = new ProtocolClient { _invoker = new HttpMessageInvoker(handler) };
        await client._socket.ConnectAsync(address, client._invoker, CancellationToken.None).WaitAsync(DefaultTimeout);
        return client;
    }

    public static async Task<ProtocolClient> AuthenticateAsync(ProtocolClient client, string token)
    {
        await client.ExpectAsync<AuthRequiredMessage>();
        await client.SendAsync(new AuthMessage(token));
        await client.ExpectAsync<AuthAckMessage>();
        return client;
    }

    /// <summary>AUTH_REQUIRED → AUTH → AUTH_ACK.</summary>
    public static async Task<ProtocolClient> ConnectAndAuthenticateAsync(Uri address, string token)
    {
        var client = await ConnectAsync(address);
        await client.ExpectAsync<AuthRequiredMessage>();
        await client.SendAsync(new AuthMessage(token));
        await client.ExpectAsync<AuthAckMessage>();
        return client;
    }

    public Task SendAsync(Message message) => SendRawAsync(WireCodec.Encode(message));

    public async Task SendRawAsync(byte[] bytes, WebSocketMessageType type = WebSocketMessageType.Binary) =>
        await _socket.SendAsync(new ArraySegment<byte>(bytes), type, endOfMessage: true, CancellationToken.None).WaitAsync(DefaultTimeout);

    /// <summary>The next message; null when the server closed the connection instead.</summary>
    public async Task<Message?> NextAsync(TimeSpan? timeout = null)
    {
        while (_inbox.Count == 0)
        {
            if (!await ReadFrameAsync(timeout ?? DefaultTimeout)) return null;
        }
        var next = _inbox.Dequeue();
        if (Environment.GetEnvironmentVariable("TOPGUN_TRACE_CLIENT") is not null) Console.WriteLine("<< " + next);
        return next;
    }

    /// <summary>The next message, which must be a <typeparamref name="T"/>.</summary>
    public async Task<T> ExpectAsync<T>(TimeSpan? timeout = null) where T : Message
    {
        var message = await NextAsync(timeout);
        return message as T ?? throw new Xunit.Sdk.XunitException(
            $"Expected {typeof(T).Name} but got {(message is null ? $"close {CloseStatus} '{CloseDescription}'" : message.ToString())}");
    }

    /// <summary>Skips other messages until a <typeparamref name="T"/> matching <paramref name="match"/> arrives.</summary>
    public async Task<T> ExpectEventuallyAsync<T>(Func<T, bool>? match = null) where T : Message
    {
        while (true)
        {
            var message = await NextAsync();
            if (message is null) throw new Xunit.Sdk.XunitException($"Closed ({CloseStatus} '{CloseDescription}') while waiting for {typeof(T).Name}");
            if (message is T typed && (match is null || match(typed))) return typed;
        }
    }

    /// <summary>Reads until the server's close frame; messages before it are returned.</summary>
    public async Task<IReadOnlyList<Message>> ExpectCloseAsync()
    {
        var before = new List<Message>();
        while (await NextAsync() is { } message) before.Add(message);
        return before;
    }

    private async Task<bool> ReadFrameAsync(TimeSpan timeout)
    {
        if (_socket.State is not (WebSocketState.Open or WebSocketState.CloseSent)) return false;
        using var cts = new CancellationTokenSource(timeout);
        var length = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            if (length == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
            result = await _socket.ReceiveAsync(_buffer.AsMemory(length), cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                if (_socket.State == WebSocketState.CloseReceived)
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                return false;
            }
            length += result.Count;
        }
        while (!result.EndOfMessage);

        if (!WireCodec.Default.TryDecode(new ReadOnlyMemory<byte>(_buffer, 0, length), out var message, out var error))
            throw new Xunit.Sdk.XunitException("The server sent an undecodable frame: " + error);
        if (message is BatchMessage batch)
        {
            BatchFrames++;
            foreach (var inner in batch.Messages) _inbox.Enqueue(inner);
        }
        else
        {
            _inbox.Enqueue(message!);
        }
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", cts.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // Already gone; nothing to hand back.
            }
        }
        _socket.Dispose();
        _invoker?.Dispose();
    }
}
