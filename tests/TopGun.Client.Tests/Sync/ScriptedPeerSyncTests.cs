using TopGun.Client.Tests.TestPeer;
using TopGun.Core.Protocol;
using TopGun.Core.Values;

namespace TopGun.Client.Tests.Sync;

/// <summary>
/// The sync contract against the scripted protocol peer (a test double), plus checks that need the
/// peer's hooks: exact resend behaviour, drops at a precise protocol step, refused tokens, resets.
/// </summary>
public sealed class ScriptedPeerSyncTests : SyncContractTests
{
    private ScriptedPeer Peer => (ScriptedPeer)Server;

    protected override async Task<ISyncTestServer> StartServerAsync() => await ScriptedPeer.StartAsync();

    [Fact]
    public async Task Acknowledged_ops_are_never_sent_again_after_a_reconnect()
    {
        var offline = Open("w", online: false);
        var map = offline.GetMap("m");
        for (var i = 0; i < 1800; i++) map.Set("k" + i, i);
        await Close(offline);

        Peer.DropConnectionOn(MessageTypes.OpBatch, 2);
        var client = Open("w");
        await Synced(client);

        var ids = Peer.ReceivedOpIds;
        Assert.Equal(1800, ids.Distinct().Count());
        // The first batch was acknowledged before the drop: each of its ops arrived exactly once.
        Assert.All(Enumerable.Range(1, 500), id => Assert.Single(ids, x => x == id.ToString()));
        Assert.Equal(Value.Of(1799), Peer.Get("m", "k1799"));
    }

    [Fact]
    public async Task A_drop_in_the_middle_of_a_merkle_walk_resumes_and_completes()
    {
        for (var i = 0; i < 300; i++) Peer.Put("big", "key-" + i, i);
        Peer.DropConnectionOn(MessageTypes.MerkleReqBucket, 5);
        var client = Open("c");
        var big = client.GetMap("big");
        await Synced(client);
        Assert.Equal(300, big.Keys.Count);
        Assert.True(Peer.ReceivedCount(MessageTypes.SyncInit) >= 2);
        Assert.Equal(Peer.RootHash("big"), RootOf(client, "big"));
    }

    [Fact]
    public async Task A_refused_token_backs_off_reports_the_failure_and_retries_with_a_new_token()
    {
        Peer.RejectToken = t => t == "bad";
        var tokens = new Queue<string>(["bad", "good"]);
        var errors = new List<ServerError>();
        var subscribed = new TaskCompletionSource();
        var client = Open("c", tweak: o => o with
        {
            TokenProvider = async _ =>
            {
                await subscribed.Task;
                return tokens.Count > 0 ? tokens.Dequeue() : "good";
            },
        });
        using var _ = client.Errors.Subscribe(e => { lock (errors) errors.Add(e); });
        subscribed.SetResult();
        await Synced(client);
        Assert.Equal(["bad", "good"], Peer.Tokens);
        lock (errors) Assert.True(errors.Any(e => e.Kind == "AUTH_FAIL"), string.Join(" / ", errors));
    }

    [Fact]
    public async Task Unacknowledged_ops_stay_pending_until_the_ack_arrives()
    {
        Peer.HoldAcks = true;
        var client = Open("c");
        client.GetMap("m").Set("a", 1.0);
        await Eventually.True(() => Peer.Get("m", "a") is not null, "the peer received the op");
        Assert.Equal(1, client.PendingOps);
        Assert.False(client.WaitForSyncAsync().IsCompleted);
        Peer.HoldAcks = false;
        await Peer.DropConnectionsAsync();
        await Synced(client);
        Assert.Equal(0, client.PendingOps);
    }

    [Fact]
    public async Task Server_events_update_the_replica_as_remote_changes()
    {
        var client = Open("c");
        var map = client.GetMap("live");
        await Synced(client);
        var remote = new List<MapChange<Value>>();
        using var _ = map.Changes.Subscribe(c => { lock (remote) remote.Add(c); });
        Peer.Put("live", "x", "hello");
        await Eventually.True(() => map.Get("x") is not null, "the server event arrives");
        Peer.Remove("live", "x");
        await Eventually.True(() => map.Get("x") is null, "the removal arrives");
        lock (remote)
        {
            Assert.Collection(remote,
                c => Assert.Equal(("x", Value.Of("hello"), false), (c.Key, c.Value, c.IsRemoved)),
                c => Assert.Equal(("x", true), (c.Key, c.IsRemoved)));
            Assert.All(remote, c => Assert.Equal(ChangeOrigin.Remote, c.Origin));
        }
    }

    [Fact]
    public async Task A_sync_reset_clears_the_map_keeps_unacknowledged_writes_and_pulls_again()
    {
        Peer.Put("m", "server-key", "from server");
        var client = Open("c");
        var map = client.GetMap("m");
        await Synced(client);
        Peer.HoldAcks = true;
        map.Set("local-key", "pending");
        await Eventually.True(() => Peer.Get("m", "local-key") is not null, "the peer received the write");
        var syncInits = Peer.ReceivedCount(MessageTypes.SyncInit);

        Peer.SendToAll(new SyncResetRequiredMessage("m"));
        await Eventually.True(() => Peer.ReceivedCount(MessageTypes.SyncInit) > syncInits && map.Get("server-key") is not null, "the client resyncs the map");
        Assert.Equal(Value.Of("pending"), map.Get("local-key"));
        Assert.Equal(1, client.PendingOps);
    }

    [Fact]
    public async Task Missing_pongs_make_the_client_reconnect()
    {
        var client = Open("c", tweak: o => o with { HeartbeatInterval = TimeSpan.FromMilliseconds(100), HeartbeatTimeout = TimeSpan.FromMilliseconds(400) });
        await Synced(client);
        var pings = Peer.ReceivedCount(MessageTypes.Ping);
        var ended = Peer.ConnectionsEndedByPeer;

        // A hung server: the socket stays open and everything but PING is still answered, so only the
        // heartbeat timeout can tell the client its connection is dead.
        Peer.IgnorePings = true;
        await Eventually.True(() => Peer.ReceivedCount(MessageTypes.Auth) >= 2, "the client opens a new connection");
        Assert.True(Peer.ReceivedCount(MessageTypes.Ping) >= pings + 2, "the client kept pinging before it gave up");
        Assert.Equal(ended, Peer.ConnectionsEndedByPeer);

        Peer.IgnorePings = false;
        await Eventually.True(() => client.State == ConnectionState.Connected, "the client is connected again");
    }

    [Fact]
    public async Task Topics_counters_and_locks_work_through_the_server()
    {
        var a = Open("a");
        var b = Open("b");
        await Synced(a, "a");
        await Synced(b, "b");

        var received = new List<Value>();
        using var sub = b.Topic("chat").Subscribe(m => { lock (received) received.Add(m.Data); });
        await Eventually.True(() => Peer.ReceivedCount(MessageTypes.TopicSub) >= 1, "b subscribed");
        a.Topic("chat").Publish(new { text = "hi" });
        await Eventually.True(() => { lock (received) return received.Count == 1; }, "b receives the message");
        Assert.Equal(Value.Map(("text", "hi")), received[0]);

        var counterA = a.Counter("likes");
        var counterB = b.Counter("likes");
        counterA.Increment();
        counterA.Increment();
        counterB.Decrement();
        await Eventually.True(() => counterA.Value == 1 && counterB.Value == 1, "both counters converge on 1");

        var lease = await Eventually.Within(a.Lock("job").AcquireAsync(TimeSpan.FromSeconds(5)), "the lock is granted");
        var next = await Eventually.Within(b.Lock("job").AcquireAsync(), "the second grant");
        Assert.True(next.FencingToken > lease.FencingToken);
        Assert.True(await Eventually.Within(a.Lock("job").ReleaseAsync(lease), "the release is confirmed"));
    }

    private static uint RootOf(TopGunClient client, string map) =>
        typeof(TopGunClient).GetField("_core", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
            .GetValue(client) is ClientCore core && core.TryGetLww(map, out var replica) ? replica.RootHash : 0;
}
