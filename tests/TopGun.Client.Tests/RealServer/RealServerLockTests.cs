namespace TopGun.Client.Tests.RealServer;

/// <summary>The client's lock handle against the real TopGun.Server process.</summary>
public sealed class RealServerLockTests(RealServerFixture server) : IClassFixture<RealServerFixture>, IAsyncLifetime
{
    private readonly RealServerClients _clients = new(server);
    private readonly string _lock = "lock-" + Guid.NewGuid().ToString("n")[..8];

    [Fact]
    public async Task Clients_take_turns_in_queue_order_with_strictly_growing_fencing_tokens_and_a_stale_release_fails()
    {
        var a = _clients.Open("a");
        var b = _clients.Open("b");
        var c = _clients.Open("c");
        await Eventually.Within(a.WaitForSyncAsync(), "a is connected");
        await Eventually.Within(b.WaitForSyncAsync(), "b is connected");
        await Eventually.Within(c.WaitForSyncAsync(), "c is connected");

        var first = await Eventually.Within(a.Lock(_lock).AcquireAsync(TimeSpan.FromMinutes(1)), "a is granted the free lock");
        // LOCK_REQUEST has no "queued" answer; the lock's journal shows when a waiter is in the queue, and the
        // entity acts on nothing before its event is journaled. So b is surely queued before c asks, and both
        // before a releases: the grant order below is the queue's order, not the order requests happened to arrive.
        var waitingB = b.Lock(_lock).AcquireAsync(TimeSpan.FromMinutes(1));
        await Eventually.True(() => QueuedWaiters() == 1, "b's request is queued behind a");
        var waitingC = c.Lock(_lock).AcquireAsync(TimeSpan.FromMinutes(1));
        await Eventually.True(() => QueuedWaiters() == 2, "c's request is queued behind b");
        Assert.False(waitingB.IsCompleted || waitingC.IsCompleted, "no waiter is granted while a holds the lock");

        Assert.True(await Eventually.Within(a.Lock(_lock).ReleaseAsync(first), "a's release is answered"));
        var second = await Eventually.Within(waitingB, "b, first in the queue, is granted the lock a released");
        Assert.True(second.FencingToken > first.FencingToken, $"token {second.FencingToken} after {first.FencingToken}");
        Assert.False(waitingC.IsCompleted, "c waits while b holds the lock");

        Assert.True(await Eventually.Within(b.Lock(_lock).ReleaseAsync(second), "b's release is answered"));
        var third = await Eventually.Within(waitingC, "c, next in the queue, is granted the lock b released");
        Assert.True(third.FencingToken > second.FencingToken, $"token {third.FencingToken} after {second.FencingToken}");
        Assert.True(await Eventually.Within(c.Lock(_lock).ReleaseAsync(third), "c's release is answered"));

        var fourth = await Eventually.Within(a.Lock(_lock).AcquireAsync(TimeSpan.FromMinutes(1)), "a is granted the lock again");
        Assert.True(fourth.FencingToken > third.FencingToken, $"token {fourth.FencingToken} after {third.FencingToken}");
        Assert.False(await Eventually.Within(a.Lock(_lock).ReleaseAsync(first), "a stale release is answered"));
        Assert.True(await Eventually.Within(a.Lock(_lock).ReleaseAsync(fourth), "the current release is answered"));
    }

    private int QueuedWaiters() => server.JournaledEvents("lock|" + _lock).Count(m => m == "lock.waiter-queued.v1");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _clients.DisposeAsync().AsTask();
}
