using System.Collections.Concurrent;
using System.Diagnostics;
using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Protocol;
using TopGun.LoadGen.Client;

namespace TopGun.EndToEnd.Tests.Support;

/// <summary>
/// Clients writing OP_BATCHes of fresh keys, one batch in flight per WebSocket, sharing one op log as the client
/// library keeps one:
/// an op the server did not acknowledge (rejected, failed result, or no answer) stays pending and is sent
/// again with the same record under a new op id, until it is acknowledged. Every answer is recorded with
/// the time it was sent and answered, so a test can tell what happened during a fault.
/// </summary>
public sealed class RetryingWriter
{
    /// <summary>Longer than the server's op timeout: an answer that takes this long is a silent hang.</summary>
    public static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(100);

    private readonly Stopwatch _clock;
    private readonly ConcurrentDictionary<string, LwwRecord> _acked = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Answer> _answers = new();
    private readonly ConcurrentQueue<(string Key, LwwRecord Record)> _pending = new();
    private long _nextKey;
    private long _nextOpId;

    /// <param name="clock">The test's clock: answers carry their times on it.</param>
    public RetryingWriter(string mapName, Stopwatch clock, int batchSize = 20)
    {
        MapName = mapName;
        _clock = clock;
        BatchSize = batchSize;
    }

    public string MapName { get; }

    public int BatchSize { get; }

    /// <summary>Key → the record the server acknowledged for it (keys are never rewritten).</summary>
    public IReadOnlyDictionary<string, LwwRecord> Acked => _acked;

    public IReadOnlyCollection<Answer> Answers => _answers;

    /// <summary>Ops sent at least once and not acknowledged yet (read once the writer has stopped).</summary>
    public int Pending => _pending.Count;

    /// <summary>
    /// Writes new keys until <paramref name="stopNewWrites"/> is cancelled, then keeps retrying what is still
    /// pending until it is acknowledged or <paramref name="giveUp"/> is cancelled. Ends early if the connection is lost.
    /// </summary>
    public Task RunAsync(IReadOnlyList<TopGunConnection> connections, CancellationToken stopNewWrites, CancellationToken giveUp) =>
        Task.WhenAll(connections.Select((c, i) => Task.Run(() => WriteAsync(c, new Hlc($"e2e-outage-writer-{i}"), stopNewWrites, giveUp))));

    private async Task WriteAsync(TopGunConnection connection, Hlc hlc, CancellationToken stopNewWrites, CancellationToken giveUp)
    {
        while (!giveUp.IsCancellationRequested)
        {
            var writingNew = !stopNewWrites.IsCancellationRequested;
            if (!writingNew && _pending.IsEmpty) return;
            var batch = new List<(string Key, LwwRecord Record)>(BatchSize);
            while (batch.Count < BatchSize && _pending.TryDequeue(out var retry)) batch.Add(retry);
            var retried = batch.Count;
            while (writingNew && batch.Count < BatchSize)
            {
                var n = Interlocked.Increment(ref _nextKey);
                batch.Add(("k" + n, new LwwRecord(WriteOps.Todo(n), hlc.Now())));
            }
            if (batch.Count == 0) return;

            var ops = batch.Select(b => new ClientOp(MapName, b.Key, Id: "op-" + Interlocked.Increment(ref _nextOpId), OpType: "PUT", Record: b.Record)).ToArray();
            var sentAt = _clock.Elapsed;
            BatchOutcome? outcome = null;
            using (var answerTimeout = CancellationTokenSource.CreateLinkedTokenSource(giveUp))
            {
                answerTimeout.CancelAfter(AnswerTimeout);
                try
                {
                    outcome = await connection.SendBatchAsync(ops, cancellationToken: answerTimeout.Token);
                }
                catch (OperationCanceledException)
                {
                    // No answer in time: recorded as a hang, the ops stay pending.
                }
            }
            var answer = new Answer(sentAt, _clock.Elapsed, outcome?.Status, retried, outcome?.Rejection?.Reason, outcome?.Rejection?.Code, outcome?.Ack?.Results?.FirstOrDefault(r => !r.Success)?.Error);
            _answers.Enqueue(answer);

            var succeeded = outcome is null ? [] : outcome.SucceededOps().Select(o => o.Id!).ToHashSet(StringComparer.Ordinal);
            for (var i = 0; i < ops.Length; i++)
            {
                if (succeeded.Contains(ops[i].Id!)) _acked[batch[i].Key] = batch[i].Record;
                else _pending.Enqueue(batch[i]);
            }
            if (outcome?.Status == BatchStatus.ConnectionLost) return;
            if (succeeded.Count < ops.Length)
            {
                try
                {
                    await Task.Delay(RetryPause, giveUp);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>One OP_BATCH and how it was answered; <see cref="Status"/> null means no answer within <see cref="AnswerTimeout"/>.</summary>
    public sealed record Answer(TimeSpan SentAt, TimeSpan AnsweredAt, BatchStatus? Status, int RetriedOps, string? RejectReason, int? RejectCode, string? FailedResultError)
    {
        public bool IsAck => Status == BatchStatus.Acknowledged && FailedResultError is null;

        public override string ToString() =>
            $"[{SentAt.TotalSeconds:F1}s→{AnsweredAt.TotalSeconds:F1}s] {Status?.ToString() ?? "NO ANSWER"} retried={RetriedOps}" +
            (RejectReason is null ? "" : $" reject {RejectCode} '{RejectReason}'") + (FailedResultError is null ? "" : $" failed result '{FailedResultError}'");
    }
}
