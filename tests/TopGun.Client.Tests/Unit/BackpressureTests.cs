using TopGun.Core.Values;

namespace TopGun.Client.Tests.Unit;

public sealed class BackpressureTests
{
    [Fact]
    public async Task Throw_strategy_refuses_writes_beyond_the_limit_and_leaves_the_replica_unchanged()
    {
        await using var client = new TopGunClient(TestClients.InMemory() with { MaxPendingOps = 2, Backpressure = BackpressureStrategy.Throw });
        var events = new List<BackpressureEvent>();
        using var _ = client.BackpressureEvents.Subscribe(events.Add);
        var map = client.GetMap("m");
        map.Set("a", 1.0);
        map.Set("b", 2.0);
        Assert.Throws<PendingOpsLimitExceededException>(() => map.Set("c", 3.0));
        Assert.Null(map.Get("c"));
        Assert.Equal([BackpressureEventKind.LimitReached, BackpressureEventKind.WriteRejected], events.Select(e => e.Kind));
    }

    [Fact]
    public async Task Pause_strategy_makes_the_async_write_wait_and_the_sync_write_throw()
    {
        await using var client = new TopGunClient(TestClients.InMemory() with { MaxPendingOps = 1, Backpressure = BackpressureStrategy.Pause });
        var map = client.GetMap("m");
        map.Set("a", 1.0);
        Assert.Throws<PendingOpsLimitExceededException>(() => map.Set("b", 2.0));
        using var cts = new CancellationTokenSource();
        var waiting = map.SetAsync("b", 2.0, ct: cts.Token).AsTask();
        Assert.False(waiting.IsCompleted);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Null(map.Get("b"));
    }

    [Fact]
    public async Task DropOldest_strategy_accepts_the_write_and_drops_the_oldest_op()
    {
        await using var client = new TopGunClient(TestClients.InMemory() with { MaxPendingOps = 2, Backpressure = BackpressureStrategy.DropOldest });
        var dropped = new List<string?>();
        using var _ = client.BackpressureEvents.Subscribe(e => { if (e.Kind == BackpressureEventKind.OpDropped) lock (dropped) dropped.Add(e.DroppedOpId); });
        var map = client.GetMap("m");
        map.Set("a", 1.0);
        map.Set("b", 2.0);
        await client.FlushAsync();
        map.Set("c", 3.0);
        Assert.Equal(Value.Of(3.0), map.Get("c"));
        await Eventually.True(() => { lock (dropped) return dropped.Count == 1; }, "the oldest op is dropped");
        Assert.Equal("1", dropped[0]);
        Assert.Equal(2, client.PendingOps);
    }
}
