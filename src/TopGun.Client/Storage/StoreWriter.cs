using TopGun.Core.Clock;

namespace TopGun.Client.Storage;

/// <summary>
/// Group commit for the local store. Writers on any thread enqueue <see cref="StoreWork"/> on a
/// lock-free queue and return; one background loop waits at most the flush interval after the first
/// queued item, then applies everything queued in one transaction. Appended ops are handed to
/// <c>onOpsDurable</c> only after their transaction committed, so the sync engine never pushes an op
/// that a crash could still lose. A failing commit (disk full, locked file) keeps the batch and retries.
/// </summary>
internal sealed class StoreWriter : IAsyncDisposable
{
    private readonly SqliteLocalStore _store;
    private readonly Hlc _clock;
    private readonly Func<long> _lastOpId;
    private readonly Action<IReadOnlyList<PendingOp>> _onOpsDurable;
    private readonly TimeSpan _interval;
    private readonly System.Collections.Concurrent.ConcurrentQueue<StoreWork> _queue = new();
    private readonly SemaphoreSlim _signal = new(0);
    // Released by FlushAsync to cut the group-commit wait short.
    private readonly SemaphoreSlim _urgent = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _signaled;

    public StoreWriter(SqliteLocalStore store, Hlc clock, Func<long> lastOpId, TimeSpan interval, Action<IReadOnlyList<PendingOp>> onOpsDurable)
    {
        _store = store;
        _clock = clock;
        _lastOpId = lastOpId;
        _interval = interval;
        _onOpsDurable = onOpsDurable;
        _loop = Task.Factory.StartNew(RunAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    /// <summary>Raised (on the writer's thread) when a commit fails; the batch is retried.</summary>
    public event Action<Exception>? CommitFailed;

    public void Enqueue(StoreWork work)
    {
        _queue.Enqueue(work);
        if (Interlocked.Exchange(ref _signaled, 1) == 0) _signal.Release();
    }

    /// <summary>Completes once everything enqueued before the call is committed.</summary>
    public Task FlushAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(new StoreWork.Barrier(done));
        _urgent.Release();
        return done.Task;
    }

    private async Task RunAsync()
    {
        var batch = new List<StoreWork>();
        var durable = new List<PendingOp>();
        var barriers = new List<TaskCompletionSource>();
        var stopping = false;
        while (true)
        {
            if (!stopping)
            {
                try
                {
                    await _signal.WaitAsync(_stop.Token).ConfigureAwait(false);
                    if (_interval > TimeSpan.Zero) await _urgent.WaitAsync(_interval, _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    stopping = true;
                }
            }
            Volatile.Write(ref _signaled, 0);
            while (_urgent.Wait(0)) { }
            while (_queue.TryDequeue(out var work))
            {
                if (work is StoreWork.Barrier b) barriers.Add(b.Done);
                else
                {
                    batch.Add(work);
                    if (work is StoreWork.AppendOp a) durable.Add(a.Op);
                }
            }
            if (batch.Count > 0 && !TryCommit(batch))
            {
                if (stopping) break;
                await Task.Delay(100).ConfigureAwait(false);
                if (Interlocked.Exchange(ref _signaled, 1) == 0) _signal.Release();
                continue;
            }
            batch.Clear();
            if (durable.Count > 0)
            {
                _onOpsDurable(durable.ToArray());
                durable.Clear();
            }
            foreach (var barrier in barriers) barrier.TrySetResult();
            barriers.Clear();
            if (stopping && _queue.IsEmpty) break;
        }
        foreach (var barrier in barriers) barrier.TrySetException(new ObjectDisposedException(nameof(StoreWriter)));
    }

    private bool TryCommit(List<StoreWork> batch)
    {
        try
        {
            _store.Apply(batch, _clock.Last, _lastOpId());
            return true;
        }
        catch (Exception e)
        {
            CommitFailed?.Invoke(e);
            return false;
        }
    }

    /// <summary>Commits what is queued and stops.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
        _signal.Dispose();
        _urgent.Dispose();
    }
}
