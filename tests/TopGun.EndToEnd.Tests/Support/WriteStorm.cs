using System.Collections.Concurrent;
using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Protocol;
using TopGun.LoadGen.Client;

namespace TopGun.EndToEnd.Tests.Support;

/// <summary>
/// Several clients writing OP_BATCHes over a shared key space (so later writes supersede earlier ones)
/// with a few batches in flight each, until their connection ends or a bounded number of batches is
/// sent. Records every op sent and every op the server acknowledged with success.
/// </summary>
public sealed class WriteStorm
{
    private const int InFlightPerClient = 3;
    private const int MaxBatchesPerClient = 2_000;

    private readonly ConcurrentDictionary<(string Key, Timestamp Timestamp), LwwRecord> _sent = new();
    private readonly ConcurrentQueue<ClientOp> _acked = new();
    private readonly List<(long Threshold, TaskCompletionSource Reached)> _waiters = [];
    private readonly Lock _waitersLock = new();
    private long _ackedCount;
    private long _lostBatches;

    public WriteStorm(string mapName, int batchSize = 50, int keySpace = 400)
    {
        MapName = mapName;
        BatchSize = batchSize;
        KeySpace = keySpace;
    }

    public string MapName { get; }

    public int BatchSize { get; }

    public int KeySpace { get; }

    public IReadOnlyCollection<ClientOp> Acked => _acked;

    public long AckedCount => Interlocked.Read(ref _ackedCount);

    /// <summary>Batches that were sent but never answered because the connection went away (in flight at a kill).</summary>
    public long LostBatches => Interlocked.Read(ref _lostBatches);

    /// <summary>Whether the op with this key and timestamp was ever sent (acknowledged or not), and with which record.</summary>
    public bool TryGetSent(string key, Timestamp timestamp, out LwwRecord record) => _sent.TryGetValue((key, timestamp), out record!);

    /// <summary>Completes once at least <paramref name="count"/> ops were acknowledged.</summary>
    public Task AckedAtLeastAsync(long count)
    {
        lock (_waitersLock)
        {
            if (AckedCount >= count) return Task.CompletedTask;
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, reached));
            return reached.Task;
        }
    }

    /// <summary>Writes from every connection until each one is lost (or its batch budget is spent).</summary>
    public Task RunAsync(IReadOnlyList<TopGunConnection> clients) =>
        Task.WhenAll(clients.Select((connection, c) => Task.Run(() => WriteAsync(connection, c))));

    private async Task WriteAsync(TopGunConnection connection, int client)
    {
        var clock = new Hlc($"e2e-client-{client}");
        var random = new Random(client);
        var inFlight = new List<Task<BatchOutcome>>();
        for (var batch = 0; batch < MaxBatchesPerClient; batch++)
        {
            var ops = new ClientOp[BatchSize];
            for (var i = 0; i < ops.Length; i++)
            {
                var n = batch * BatchSize + i;
                var key = "k" + random.Next(KeySpace);
                var op = WriteOps.Put(clock, MapName, key, $"c{client}-{n}", WriteOps.Todo(n));
                _sent[(key, op.Record!.Timestamp)] = op.Record;
                ops[i] = op;
            }
            inFlight.Add(connection.SendBatchAsync(ops));
            if (inFlight.Count < InFlightPerClient) continue;

            var done = await Task.WhenAny(inFlight);
            inFlight.Remove(done);
            if (!Record(await done)) break;
        }
        foreach (var outcome in await Task.WhenAll(inFlight)) Record(outcome);
    }

    /// <summary>False once the connection is gone.</summary>
    private bool Record(BatchOutcome outcome)
    {
        if (outcome.Status == BatchStatus.ConnectionLost)
        {
            Interlocked.Increment(ref _lostBatches);
            return false;
        }
        var added = 0;
        foreach (var op in outcome.SucceededOps())
        {
            _acked.Enqueue(op);
            added++;
        }
        var total = Interlocked.Add(ref _ackedCount, added);
        lock (_waitersLock)
        {
            foreach (var waiter in _waiters.Where(w => w.Threshold <= total).ToArray())
            {
                waiter.Reached.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
        return true;
    }
}
