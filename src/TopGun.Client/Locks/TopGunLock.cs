using Akka.Actor;
using TopGun.Client.Sync;

namespace TopGun.Client.Locks;

/// <summary>A granted lease: the fencing token grows with every grant of the lock name, forever.</summary>
public sealed record LockLease(string Name, long FencingToken, string RequestId);

/// <summary>
/// A distributed lease lock (LOCK_REQUEST / LOCK_GRANTED / LOCK_RELEASE). Needs the server: a
/// request made offline waits for the next connection; the server drops a client's locks when its
/// connection ends, so a lease does not outlive the connection it was granted on.
/// </summary>
public sealed class TopGunLock
{
    private readonly ClientCore _core;

    internal TopGunLock(ClientCore core, string name)
    {
        _core = core;
        Name = name;
    }

    public string Name { get; }

    /// <summary>Waits until the lock is granted; <paramref name="ttl"/> bounds the lease (server default 10 s, clamped 1 s..5 min).</summary>
    public async Task<LockLease> AcquireAsync(TimeSpan? ttl = null, CancellationToken ct = default)
    {
        var requestId = Guid.NewGuid().ToString("n");
        var granted = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        _core.Engine.Tell(new EngineMessages.AcquireLock(requestId, Name, ttl is { } t ? (long)t.TotalMilliseconds : null, granted));
        try
        {
            var token = await granted.Task.WaitAsync(ct).ConfigureAwait(false);
            return new LockLease(Name, token, requestId);
        }
        catch (OperationCanceledException)
        {
            _core.Engine.Tell(new EngineMessages.CancelLock(requestId));
            throw;
        }
    }

    /// <summary>Releases a lease; false when the server no longer held it for this client.</summary>
    public Task<bool> ReleaseAsync(LockLease lease, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var released = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _core.Engine.Tell(new EngineMessages.ReleaseLock(Guid.NewGuid().ToString("n"), Name, lease.FencingToken, released));
        return released.Task.WaitAsync(ct);
    }
}
