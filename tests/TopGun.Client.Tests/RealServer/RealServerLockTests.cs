namespace TopGun.Client.Tests.RealServer;

/// <summary>The client's lock handle against the real TopGun.Server process.</summary>
public sealed class RealServerLockTests(RealServerFixture server) : IClassFixture<RealServerFixture>, IAsyncLifetime
{
    private readonly RealServerClients _clients = new(server);
    private readonly string _lock = "lock-" + Guid.NewGuid().ToString("n")[..8];

    [Fact]
    public async Task Two_clients_take_turns_with_strictly_growing_fencing_tokens_and_a_stale_release_fails()
    {
        var a = _clients.Open("a");
        var b = _clients.Open("b");
        await Eventually.Within(a.WaitForSyncAsync(), "a is connected");
        await Eventually.Within(b.WaitForSyncAsync(), "b is connected");

        var first = await Eventually.Within(a.Lock(_lock).AcquireAsync(TimeSpan.FromMinutes(1)), "a is granted the free lock");
        var waiting = b.Lock(_lock).AcquireAsync(TimeSpan.FromMinutes(1));
        Assert.True(await Eventually.Within(a.Lock(_lock).ReleaseAsync(first), "a's release is answered"));

        var second = await Eventually.Within(waiting, "b is granted the lock a released");
        Assert.True(second.FencingToken > first.FencingToken, $"token {second.FencingToken} after {first.FencingToken}");
        Assert.True(await Eventually.Within(b.Lock(_lock).ReleaseAsync(second), "b's release is answered"));

        var third = await Eventually.Within(a.Lock(_lock).AcquireAsync(TimeSpan.FromMinutes(1)), "a is granted the lock again");
        Assert.True(third.FencingToken > second.FencingToken, $"token {third.FencingToken} after {second.FencingToken}");
        Assert.False(await Eventually.Within(a.Lock(_lock).ReleaseAsync(first), "a stale release is answered"));
        Assert.True(await Eventually.Within(a.Lock(_lock).ReleaseAsync(third), "the current release is answered"));
    }


    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _clients.DisposeAsync().AsTask();
}
