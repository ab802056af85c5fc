using System.Collections.Concurrent;
using TopGun.Core.Clock;
using TopGun.Core.Protocol;
using TopGun.EndToEnd.Tests.Support;
using TopGun.LoadGen.Client;

namespace TopGun.EndToEnd.Tests.Cluster;

/// <summary>
/// One writing client per node, each sending OP_BATCHes of unique keys with a few in flight, paced so the
/// map stays small enough to read back quickly (every acked key is checked at the end). A client
/// whose node goes away reconnects to the next node that is still running, as a client with several
/// server URLs would. Records every op acknowledged with success, until <see cref="StopAsync"/>.
/// </summary>
public sealed class FailoverStorm
{
    private const int InFlightPerClient = 3;

    private readonly IReadOnlyList<ClusterNodeProcess> _nodes;
    private readonly ConcurrentQueue<ClientOp> _acked = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(long Threshold, TaskCompletionSource Reached)> _waiters = [];
    private readonly Lock _waitersLock = new();
    private long _ackedCount;
    private long _reconnects;
    private Task _running = Task.CompletedTask;

    private readonly TimeSpan _pause;

    public FailoverStorm(string mapName, IReadOnlyList<ClusterNodeProcess> nodes, int batchSize = 50, TimeSpan? pauseBetweenBatches = null)
    {
        _pause = pauseBetweenBatches ?? TimeSpan.FromMilliseconds(100);
        MapName = mapName;
        _nodes = nodes;
        BatchSize = batchSize;
    }

    public string MapName { get; }

    public int BatchSize { get; }

    public IReadOnlyCollection<ClientOp> Acked => _acked;

    public long AckedCount => Interlocked.Read(ref _ackedCount);

    /// <summary>Connections that were lost and re-established on another node.</summary>
    public long Reconnects => Interlocked.Read(ref _reconnects);

    public void Start() =>
        _running = Task.WhenAll(_nodes.Select((_, c) => Task.Run(() => WriteAsync(c))));

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

    /// <summary>Stops sending new batches and waits for the answers of those in flight.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _running;
    }

    private async Task WriteAsync(int client)
    {
        var clock = new Hlc($"e2e-writer-{client}");
        var seq = 0L;
        var home = client;
        while (!_stop.IsCancellationRequested)
        {
            await using var connection = await ConnectToRunningNodeAsync(client, home);
            if (connection is null) return;
            var inFlight = new List<Task<BatchOutcome>>();
            var lost = false;
            while (!_stop.IsCancellationRequested && !lost)
            {
                var ops = new ClientOp[BatchSize];
                for (var i = 0; i < ops.Length; i++)
                {
                    var id = $"w{client}-{seq++}";
                    ops[i] = WriteOps.Put(clock, MapName, id, id, WriteOps.Todo(seq));
                }
                inFlight.Add(connection.SendBatchAsync(ops));
                await Task.Delay(_pause);
                if (inFlight.Count < InFlightPerClient) continue;
                var done = await Task.WhenAny(inFlight);
                inFlight.Remove(done);
                lost = !Record(await done);
            }
            foreach (var outcome in await Task.WhenAll(inFlight)) lost |= !Record(outcome);
            if (lost)
            {
                Interlocked.Increment(ref _reconnects);
                home++;
            }
        }
    }

    private async Task<TopGunConnection?> ConnectToRunningNodeAsync(int client, int home)
    {
        while (!_stop.IsCancellationRequested)
        {
            for (var i = 0; i < _nodes.Count; i++)
            {
                var node = _nodes[(home + i) % _nodes.Count];
                if (node.Killed) continue;
                try
                {
                    return await TopGunConnection.ConnectAsync(node.Address, HsTokens.Mint(ServerStorage.JwtSecret, $"writer-{client}"), _stop.Token);
                }
                catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or IOException or OperationCanceledException or InvalidOperationException)
                {
                    // That node is going away (or the storm is stopping): try the next one.
                }
            }
            await Task.Delay(200);
        }
        return null;
    }

    /// <summary>False once the connection is gone.</summary>
    private bool Record(BatchOutcome outcome)
    {
        if (outcome.Status == BatchStatus.ConnectionLost) return false;
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
