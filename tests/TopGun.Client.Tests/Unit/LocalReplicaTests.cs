using TopGun.Client.Mapping;
using TopGun.Core.Clock;
using TopGun.Core.Values;

namespace TopGun.Client.Tests.Unit;

public sealed class LocalReplicaTests
{
    [Fact]
    public async Task Set_then_Get_returns_the_value_without_any_server()
    {
        await using var client = new TopGunClient(TestClients.InMemory());
        var map = client.GetMap("todos");
        map.Set("a", Value.Map(("text", "milk")));
        Assert.Equal(Value.Map(("text", "milk")), map.Get("a"));
        Assert.Equal(ConnectionState.Disconnected, client.State);
    }

    [Fact]
    public async Task Remove_hides_the_key_and_reports_a_local_removal()
    {
        await using var client = new TopGunClient(TestClients.InMemory());
        var map = client.GetMap("todos");
        var changes = new List<MapChange<Value>>();
        using var _ = map.Changes.Subscribe(changes.Add);
        map.Set("a", "x");
        map.Remove("a");
        Assert.Null(map.Get("a"));
        Assert.Empty(map.Keys);
        Assert.Collection(changes,
            c => Assert.Equal(("a", false, ChangeOrigin.Local), (c.Key, c.IsRemoved, c.Origin)),
            c => Assert.Equal(("a", true, ChangeOrigin.Local), (c.Key, c.IsRemoved, c.Origin)));
    }

    [Fact]
    public async Task Keys_and_entries_list_only_live_values()
    {
        await using var client = new TopGunClient(TestClients.InMemory());
        var map = client.GetMap("m");
        map.Set("a", 1.0);
        map.Set("b", 2.0);
        map.Set("c", 3.0);
        map.Remove("b");
        Assert.Equal(["a", "c"], map.Keys.Order());
        Assert.Equal(4.0, map.Entries.Sum(e => ((NumberValue)e.Value).Item));
    }

    [Fact]
    public async Task A_value_with_a_ttl_disappears_once_the_clock_passes_it()
    {
        var time = new ManualTimeSource(1_700_000_000_000);
        await using var client = new TopGunClient(TestClients.InMemory() with { TimeSource = time });
        var map = client.GetMap("sessions");
        map.Set("s1", "token", ttl: TimeSpan.FromSeconds(10));
        Assert.NotNull(map.Get("s1"));
        time.Advance(10_001);
        Assert.Null(map.Get("s1"));
    }

    [Fact]
    public async Task Or_map_remove_takes_only_the_given_value()
    {
        await using var client = new TopGunClient(TestClients.InMemory());
        var tags = client.GetORMap<string>("tags");
        tags.Add("post-1", "red");
        tags.Add("post-1", "blue");
        tags.Add("post-1", "red");
        Assert.Equal(2, tags.Remove("post-1", "red"));
        Assert.Equal(["blue"], tags.Get("post-1"));
        Assert.Equal(5, client.PendingOps);
    }

    [Fact]
    public async Task Opening_a_map_as_the_other_crdt_kind_is_refused()
    {
        await using var client = new TopGunClient(TestClients.InMemory());
        client.GetMap("m");
        Assert.Throws<InvalidOperationException>(() => client.GetORMap("m"));
    }

    [Fact]
    public async Task Typed_and_untyped_handles_share_one_replica()
    {
        await using var client = new TopGunClient(TestClients.InMemory());
        client.GetMap<Todo>("todos").Set("t1", new Todo("milk", false));
        Assert.Equal(Value.Map(("text", "milk"), ("done", false)), client.GetMap("todos").Get("t1"));
        Assert.Equal(new Todo("milk", false), client.GetMap<Todo>("todos").Get("t1"));
        Assert.IsType<IdentityValueMapper>(IdentityValueMapper.Instance);
    }
}
