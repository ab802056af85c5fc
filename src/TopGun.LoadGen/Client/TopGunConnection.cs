using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Threading.Channels;
using TopGun.Core.Protocol;

namespace TopGun.LoadGen.Client;

/// <summary>
/// One authenticated TopGun protocol connection over a <see cref="ClientWebSocket"/>: Core's codec both
/// ways, BATCH frames unwrapped, OP_ACK / OP_REJECTED matched to the OP_BATCH they answer. Every other
/// server message goes to <see cref="Messages"/>, which the owner must drain if it expects any.
/// </summary>
public sealed class TopGunConnection : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ArrayBufferWriter<byte> _sendBuffer = new(16 * 1024);
    private readonly ConcurrentDictionary<string, PendingBatch> _pendingByOpId = new(StringComparer.Ordinal);
    private readonly Channel<ReceivedMessage> _messages = Channel.CreateUnbounded<ReceivedMessage>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = true });
    private readonly TaskCompletionSource<bool> _authenticated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private Task _receiveLoop = Task.CompletedTask;
    private string? _authFailure;

    private TopGunConnection()
    {
        _socket.Options.KeepAliveInterval = TimeSpan.Zero;
    }

    /// <summary>Every message that is not the answer to a tracked OP_BATCH, in arrival order.</summary>
    public ChannelReader<ReceivedMessage> Messages => _messages.Reader;

    /// <summary>Completes when the server closed the socket or the connection broke.</summary>
    public Task Closed => _closed.Task;

    /// <summary>The server's close code; null while open or when the connection was cut without a close frame.</summary>
    public WebSocketCloseStatus? CloseStatus { get; private set; }

    public string? CloseDescription { get; private set; }

    /// <summary>Batches sent and not answered yet.</summary>
    public int PendingBatches => _pendingByOpId.Values.Distinct().Count();

    /// <summary>Connects, sends AUTH without waiting for AUTH_REQUIRED, and returns once AUTH_ACK arrived.</summary>
    public static async Task<TopGunConnection> ConnectAsync(Uri url, string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        var connection = new TopGunConnection();
        try
        {
            await connection._socket.ConnectAsync(url, cancellationToken).ConfigureAwait(false);
            connection._receiveLoop = Task.Run(connection.ReceiveLoopAsync, CancellationToken.None);
            await connection.SendAsync(new AuthMessage(token), cancellationToken).ConfigureAwait(false);
            var ok = await connection._authenticated.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (!ok)
            {
                throw new InvalidOperationException(connection._authFailure is { } reason
                    ? "AUTH_FAIL: " + reason
                    : $"The server closed the connection before AUTH_ACK ({connection.CloseStatus} '{connection.CloseDescription}').");
            }
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task SendAsync(Message message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _sendBuffer.ResetWrittenCount();
            WireCodec.Encode(message, _sendBuffer);
            await _socket.SendAsync(_sendBuffer.WrittenMemory, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>
    /// Sends one OP_BATCH and completes with the server's answer. Every op must carry a unique id: the
    /// ack names the batch by its last op id, a rejection by the rejected op's id.
    /// </summary>
    public async Task<BatchOutcome> SendBatchAsync(IReadOnlyList<ClientOp> ops, WriteConcern? writeConcern = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ops);
        if (ops.Count == 0) throw new ArgumentException("A batch needs at least one op.", nameof(ops));
        var pending = new PendingBatch(ops);
        foreach (var op in ops)
        {
            if (op.Id is null || !_pendingByOpId.TryAdd(op.Id, pending))
            {
                Forget(pending);
                throw new ArgumentException($"Every op needs an id that is not already in flight ('{op.Id}').", nameof(ops));
            }
        }
        if (_closed.Task.IsCompleted)
        {
            Complete(pending, new BatchOutcome(BatchStatus.ConnectionLost, ops, null, null));
            return await pending.Outcome.Task.ConfigureAwait(false);
        }
        try
        {
            await SendAsync(new OpBatchMessage(ops.ToArray(), writeConcern), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            Complete(pending, new BatchOutcome(BatchStatus.ConnectionLost, ops, null, null));
        }
        return await pending.Outcome.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The next message of type <typeparamref name="T"/> matching <paramref name="match"/>; others are skipped.</summary>
    public async Task<T> ExpectAsync<T>(Func<T, bool>? match, CancellationToken cancellationToken) where T : Message
    {
        while (true)
        {
            if (!await _messages.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
                throw new InvalidOperationException($"The connection closed ({CloseStatus} '{CloseDescription}') while waiting for {typeof(T).Name}.");
            while (_messages.Reader.TryRead(out var received))
            {
                if (received.Message is T typed && (match is null || match(typed))) return typed;
            }
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (true)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                    {
                        var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, length).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }
                    result = await _socket.ReceiveAsync(buffer.AsMemory(length), _stop.Token).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        CloseStatus = _socket.CloseStatus;
                        CloseDescription = _socket.CloseStatusDescription;
                        if (_socket.State == WebSocketState.CloseReceived)
                        {
                            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", cts.Token).ConfigureAwait(false);
                        }
                        return;
                    }
                    length += result.Count;
                }
                while (!result.EndOfMessage);

                var receivedAt = Stopwatch.GetTimestamp();
                if (!WireCodec.Default.TryDecode(new ReadOnlyMemory<byte>(buffer, 0, length), out var message, out var error))
                    throw new InvalidDataException("The server sent an undecodable frame: " + error);
                if (message is BatchMessage batch)
                {
                    foreach (var inner in batch.Messages) Dispatch(inner, receivedAt);
                }
                else
                {
                    Dispatch(message!, receivedAt);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidDataException)
        {
            // A cut connection (server killed, socket disposed) ends the loop like a close frame does.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            _authenticated.TrySetResult(false);
            _messages.Writer.TryComplete();
            foreach (var pending in _pendingByOpId.Values.Distinct().ToArray())
                Complete(pending, new BatchOutcome(BatchStatus.ConnectionLost, pending.Ops, null, null));
            _closed.TrySetResult();
        }
    }

    private void Dispatch(Message message, long receivedAt)
    {
        switch (message)
        {
            case AuthAckMessage:
                _authenticated.TrySetResult(true);
                return;
            case AuthFailMessage fail:
                _authFailure = fail.Error;
                _authenticated.TrySetResult(false);
                return;
            case AuthRequiredMessage:
                return;
            case OpAckMessage ack when _pendingByOpId.TryGetValue(ack.LastId, out var acked):
                Complete(acked, new BatchOutcome(BatchStatus.Acknowledged, acked.Ops, ack, null));
                return;
            case OpRejectedMessage rejected when _pendingByOpId.TryGetValue(rejected.OpId, out var refused):
                Complete(refused, new BatchOutcome(BatchStatus.Rejected, refused.Ops, null, rejected));
                return;
        }
        _messages.Writer.TryWrite(new ReceivedMessage(message, receivedAt));
    }

    private void Complete(PendingBatch pending, BatchOutcome outcome)
    {
        Forget(pending);
        pending.Outcome.TrySetResult(outcome);
    }

    private void Forget(PendingBatch pending)
    {
        foreach (var op in pending.Ops)
        {
            if (op.Id is { } id) _pendingByOpId.TryRemove(new KeyValuePair<string, PendingBatch>(id, pending));
        }
    }

    /// <summary>Closes politely (1000) and waits briefly for the server's close frame.</summary>
    public async Task CloseAsync(CancellationToken cancellationToken = default)
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", cancellationToken).ConfigureAwait(false);
                await _closed.Task.WaitAsync(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or TimeoutException or ObjectDisposedException)
            {
                // The server may already be gone; disposal cuts the socket either way.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync().ConfigureAwait(false);
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Abort();
        try
        {
            await _receiveLoop.ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The loop only ends this way when the socket was aborted under it.
        }
        _socket.Dispose();
        _stop.Dispose();
        _sendLock.Dispose();
    }

    private sealed class PendingBatch(IReadOnlyList<ClientOp> ops)
    {
        public IReadOnlyList<ClientOp> Ops { get; } = ops;
        public TaskCompletionSource<BatchOutcome> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
