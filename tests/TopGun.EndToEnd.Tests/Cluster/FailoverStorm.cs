using System.Collections.Concurrent;
using TopGun.Core.Clock;
using TopGun.Core.Protocol;
using TopGun.EndToEnd.Tests.Support;
using TopGun.LoadGen.Client;

namespace TopGun.EndToEnd.Tests.Cluster;

/// <summary>
/// One writing client per node, each sending OP_BATCHes of unique keys with a few in flight, paced so the
/// map stays small enough to read back quickly (every acked key is checked at the end). A client
/// whose node goes away (killed, or stopped gracefully for a restart) reconnects to the next node that accepts it,
/// as a client with several server URLs would. Records every op acknowledged with success, and every connection
/// as a <see cref="StormSession"/>, until <see cref="StopAsync"/>.
/// </summary>
public sealed class FailoverStorm
{
    private const int InFlightPerClient = 3;

    private readonly IReadOnlyList<ClusterNodeProcess> _nodes;
    private readonly ConcurrentQueue<ClientOp> _acked = new();
    private readonly ConcurrentQueue<StormSession> _sessions = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(long Threshold, TaskCompletionSource Reached)> _waiters = [];
    private readonly Lock _waitersLock = new();
    private long _ackedCount;
    private long _reconnects;
    private long _sessionSequence;
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

    /// <summary>Every connection the clients made so far, in the order they connected.</summary>
    public IReadOnlyList<StormSession> Sessions => _sessions.ToArray();

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
            var connected = await ConnectToRunningNodeAsync(client, home);
            if (connected is null) return;
            var (connection, index) = connected.Value;
            await using var disposing = connection;
            var session = new StormSession(client, _nodes[index].Name, Interlocked.Increment(ref _sessionSequence));
            _sessions.Enqueue(session);
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
                lost = !Record(await done, session);
            }
            foreach (var outcome in await Task.WhenAll(inFlight)) lost |= !Record(outcome, session);
            session.End(lost);
            if (lost)
            {
                Interlocked.Increment(ref _reconnects);
                home = index + 1;
            }
        }
    }

    private async Task<(TopGunConnection Connection, int Index)?> ConnectToRunningNodeAsync(int client, int home)
    {
        while (!_stop.IsCancellationRequested)
        {
            for (var i = 0; i < _nodes.Count; i++)
            {
                var index = (home + i) % _nodes.Count;
                var node = _nodes[index];
                if (node.Killed) continue;
                try
                {
                    return (await TopGunConnection.ConnectAsync(node.Address, HsTokens.Mint(ServerStorage.JwtSecret, $"writer-{client}"), _stop.Token), index);
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
    private bool Record(BatchOutcome outcome, StormSession session)
    {
        if (outcome.Status == BatchStatus.ConnectionLost) return false;
        var added = 0;
        foreach (var op in outcome.SucceededOps())
        {
            _acked.Enqueue(op);
            added++;
        }
        session.AddAcked(added);
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
