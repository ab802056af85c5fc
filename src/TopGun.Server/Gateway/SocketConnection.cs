using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Threading.Channels;
using Akka.Actor;
using TopGun.Core.Protocol;
using TopGun.Server.Clients;
using TopGun.Server.Configuration;

namespace TopGun.Server.Gateway;

/// <summary>
/// The socket pump of one client: a receive loop that assembles (possibly fragmented) frames up to the
/// frame limit, decodes them off the actor thread and tells the <see cref="ConnectionActor"/>; and a
/// send loop that drains a bounded outbound queue, coalescing replies into BATCH frames.
/// Inbound frames are credit-based (the actor returns one credit per frame), so a client that floods
/// us is slowed down by TCP instead of filling the actor's mailbox.
/// </summary>
internal sealed class SocketConnection : IClientChannel, IDisposable
{
    // A client that never answers our close frame must not hold the request open.
    private static readonly TimeSpan DefaultCloseTimeout = TimeSpan.FromSeconds(5);
    private const int InitialReceiveBuffer = 16 * 1024;
    private const int RetainedReceiveBuffer = 64 * 1024;

    private readonly WebSocket _socket;
    private readonly WireCodec _codec;
    private readonly long _maxFrameBytes;
    private readonly CoalescingSettings _coalescing;
    private readonly Channel<OutboundFrame> _outbound;
    private readonly long _outboundQueueBytes;
    private long _queuedBytes;
    private readonly SemaphoreSlim _inboundCredits;
    private readonly ILogger _logger;
    private readonly string _connectionId;
    private readonly TimeSpan _closeTimeout;
    private readonly TaskCompletionSource _closeRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CloseRequest? _close;

    public SocketConnection(
        WebSocket socket,
        string connectionId,
        long maxFrameBytes,
        int outboundQueueLimit,
        long outboundQueueBytes,
        int inboundQueueLimit,
        CoalescingSettings coalescing,
        ILogger logger,
        WireCodec? codec = null,
        TimeSpan? closeTimeout = null)
    {
        _closeTimeout = closeTimeout ?? DefaultCloseTimeout;
        _socket = socket ?? throw new ArgumentNullException(nameof(socket));
        _connectionId = connectionId;
        _maxFrameBytes = maxFrameBytes;
        _coalescing = coalescing ?? throw new ArgumentNullException(nameof(coalescing));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _codec = codec ?? WireCodec.Default;
        _outboundQueueBytes = outboundQueueBytes;
        _outbound = Channel.CreateBounded<OutboundFrame>(new BoundedChannelOptions(outboundQueueLimit)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _inboundCredits = new SemaphoreSlim(inboundQueueLimit, inboundQueueLimit);
    }

    /// <summary>Why the socket was (or is being) closed by us; null while open or when the client closed it.</summary>
    public WebSocketCloseStatus? CloseStatus => _close?.Status;

    public bool Send(Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        // Encoded here, not in the send loop, so the queue is bounded by bytes as well as by messages: a few large
        // query results must not pin unbounded memory for a client that reads slowly. One message always fits.
        var encoded = WireCodec.Encode(message);
        var queuedBefore = Interlocked.Add(ref _queuedBytes, encoded.Length) - encoded.Length;
        if ((queuedBefore == 0 || queuedBefore + encoded.Length <= _outboundQueueBytes)
            && _outbound.Writer.TryWrite(new OutboundFrame(encoded, IsUrgent(message))))
            return true;
        Interlocked.Add(ref _queuedBytes, -encoded.Length);
        if (_close is null)
        {
            _logger.LogWarning("Client {ConnectionId} is not reading its messages; dropping it (close 1013).", _connectionId);
            RequestClose(CloseCodes.Overloaded, "Client too slow", drain: false);
        }
        return false;
    }

    public void Close(WebSocketCloseStatus status, string reason) => RequestClose(status, reason, drain: true);

    public void FrameProcessed()
    {
        try
        {
            _inboundCredits.Release();
        }
        catch (ObjectDisposedException)
        {
            // The socket finished while the actor was still working through its last frames.
        }
    }

    /// <summary>Pumps until the socket is closed by either side; tells <paramref name="actor"/> every frame and the end.</summary>
    public async Task RunAsync(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var receive = Task.Run(() => ReceiveLoopAsync(actor));
        var send = Task.Run(SendLoopAsync);

        var first = await Task.WhenAny(receive, send, _closeRequested.Task).ConfigureAwait(false);
        if (first == _closeRequested.Task)
        {
            // A consumer that reads nothing cannot even take our close frame: its socket (and every byte
            // queued for it) is given up once the close timeout passes.
            if (await Task.WhenAny(send, receive, Task.Delay(_closeTimeout)).ConfigureAwait(false) is var done && done != send && done != receive)
                _socket.Abort();
            first = await Task.WhenAny(receive, send).ConfigureAwait(false);
        }
        if (first == receive)
        {
            // The client closed (or vanished, or sent something we close for): nothing more will be read.
            RequestClose(WebSocketCloseStatus.NormalClosure, "", drain: false);
            await send.ConfigureAwait(false);
        }
        else
        {
            // Our close frame is out (or sending failed): give the client a moment to answer it.
            await Task.WhenAny(receive, Task.Delay(_closeTimeout)).ConfigureAwait(false);
            if (!receive.IsCompleted) _socket.Abort();
            await receive.ConfigureAwait(false);
        }
        actor.Tell(ConnectionCommands.ConnectionLost.Instance);
    }

    public void Dispose() => _inboundCredits.Dispose();

    private void RequestClose(WebSocketCloseStatus status, string reason, bool drain)
    {
        if (Interlocked.CompareExchange(ref _close, new CloseRequest(status, reason, drain), null) is null)
        {
            _outbound.Writer.TryComplete();
            _closeRequested.TrySetResult();
        }
    }

    private async Task ReceiveLoopAsync(IActorRef actor)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(InitialReceiveBuffer);
        try
        {
            while (true)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length) buffer = Grow(buffer, length);
                    // Never cancelled: cancelling a pending receive aborts the whole socket.
                    result = await _socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close) return;
                    length += result.Count;
                    if (length > _maxFrameBytes)
                    {
                        RequestClose(CloseCodes.FrameTooBig, "Frame too large", drain: true);
                        return;
                    }
                }
                while (!result.EndOfMessage);

                var decoded = result.MessageType == WebSocketMessageType.Text
                    ? _codec.TryDecodeJson(buffer.AsSpan(0, length), out var message, out var error)
                    : _codec.TryDecode(new ReadOnlyMemory<byte>(buffer, 0, length), out message, out error);

                await _inboundCredits.WaitAsync().ConfigureAwait(false);
                actor.Tell(decoded
                    ? new ConnectionCommands.InboundFrame(message!)
                    : new ConnectionCommands.InboundRejected(error!));

                if (buffer.Length > RetainedReceiveBuffer)
                {
                    // An idle connection keeps a small buffer, whatever its largest frame was.
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = ArrayPool<byte>.Shared.Rent(InitialReceiveBuffer);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client vanished without a close frame; the connection simply ends.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private byte[] Grow(byte[] buffer, int length)
    {
        // One byte beyond the limit is enough to tell "exactly at the limit" from "too big".
        var size = (int)Math.Min(Math.Max((long)buffer.Length * 2, InitialReceiveBuffer), Math.Min(_maxFrameBytes + 1, Array.MaxLength));
        var bigger = ArrayPool<byte>.Shared.Rent(size);
        buffer.AsSpan(0, length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(buffer);
        return bigger;
    }

    private async Task SendLoopAsync()
    {
        var batch = new PendingBatch(_coalescing);
        using var batchWriter = new BatchFrameWriter();
        var frame = new ArrayBufferWriter<byte>(4096);
        var reader = _outbound.Reader;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                var deadline = 0L;
                while (true)
                {
                    while (!Aborting && reader.TryRead(out var next))
                    {
                        Interlocked.Add(ref _queuedBytes, -next.Bytes.Length);
                        if (next.Urgent)
                        {
                            await FlushAsync(batch, batchWriter, frame).ConfigureAwait(false);
                            await SendFrameAsync(next.Bytes).ConfigureAwait(false);
                            continue;
                        }
                        batch.Add(next.Bytes);
                        if (batch.IsFull) await FlushAsync(batch, batchWriter, frame).ConfigureAwait(false);
                    }
                    if (Aborting || batch.Count == 0) break;

                    var now = Stopwatch.GetTimestamp();
                    if (deadline == 0) deadline = now + (long)(_coalescing.Window.TotalSeconds * Stopwatch.Frequency);
                    var remaining = Stopwatch.GetElapsedTime(now, deadline);
                    if (deadline <= now || remaining <= TimeSpan.Zero)
                    {
                        await FlushAsync(batch, batchWriter, frame).ConfigureAwait(false);
                        break;
                    }
                    var more = reader.WaitToReadAsync().AsTask();
                    if (await Task.WhenAny(more, Task.Delay(remaining)).ConfigureAwait(false) == more && !await more.ConfigureAwait(false))
                    {
                        // Completed while coalescing: what is batched still goes out before the close.
                        break;
                    }
                }
                if (Aborting) break;
                await FlushAsync(batch, batchWriter, frame).ConfigureAwait(false);
            }
            if (!Aborting) await FlushAsync(batch, batchWriter, frame).ConfigureAwait(false);
            await CloseOutputAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            _socket.Abort();
        }
    }

    private bool Aborting => _close is { Drain: false };

    private async Task FlushAsync(PendingBatch batch, BatchFrameWriter writer, ArrayBufferWriter<byte> frame)
    {
        if (batch.Count == 0) return;
        if (batch.Count == 1)
        {
            await SendFrameAsync(batch.Messages[0]).ConfigureAwait(false);
        }
        else
        {
            writer.Reset();
            foreach (var encoded in batch.Messages) writer.Add(encoded);
            frame.ResetWrittenCount();
            writer.WriteTo(frame);
            await SendFrameAsync(frame.WrittenMemory).ConfigureAwait(false);
        }
        batch.Clear();
    }

    private ValueTask SendFrameAsync(ReadOnlyMemory<byte> bytes) =>
        _socket.SendAsync(bytes, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);

    private async Task CloseOutputAsync()
    {
        if (_socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived)) return;
        var close = _close ?? new CloseRequest(WebSocketCloseStatus.NormalClosure, "", false);
        using var timeout = new CancellationTokenSource(_closeTimeout);
        await _socket.CloseOutputAsync(close.Status, close.Reason, timeout.Token).ConfigureAwait(false);
    }

    /// <summary>Replies the protocol sends at once instead of waiting for the coalescing window.</summary>
    internal static bool IsUrgent(Message message) =>
        message is AuthAckMessage or AuthFailMessage or PongMessage or ErrorMessage or MergeRejectedMessage;

    private sealed record CloseRequest(WebSocketCloseStatus Status, string Reason, bool Drain);

    private readonly record struct OutboundFrame(byte[] Bytes, bool Urgent);

    private sealed class PendingBatch(CoalescingSettings limits)
    {
        private int _bytes;

        public List<byte[]> Messages { get; } = [];

        public int Count => Messages.Count;

        public bool IsFull => Messages.Count >= limits.MaxMessages || _bytes >= limits.MaxBytes;

        public void Add(byte[] encoded)
        {
            Messages.Add(encoded);
            _bytes += encoded.Length;
        }

        public void Clear()
        {
            Messages.Clear();
            _bytes = 0;
        }
    }
}
