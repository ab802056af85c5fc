using TopGun.Client.Queries;
using TopGun.Core.Clock;
using TopGun.Client.Tests.TestPeer;
using TopGun.Core.Values;

namespace TopGun.Client.Tests.Sync;

/// <summary>
/// What the client's sync engine must achieve against any TopGun server, observed only through
/// clients (no server internals), so the same tests run against the scripted peer here and against
/// the real server in an integration suite: derive a class and return the server from
/// <see cref="StartServerAsync"/>.
/// </summary>
public abstract class SyncContractTests : IAsyncLifetime
{
    private readonly TestClients _clients = new();
    private readonly List<TopGunClient> _open = [];

    private readonly string _run = Guid.NewGuid().ToString("n")[..8];

    protected ISyncTestServer Server { get; private set; } = null!;

    /// <summary>A map name private to this test, so tests can share one long-running server.</summary>
    protected string M(string name) => name + "-" + _run;

    protected abstract Task<ISyncTestServer> StartServerAsync();

    /// <summary>A token the server accepts (a real server needs a signed JWT).</summary>
    protected virtual string ValidToken => "test-token";

    public async Task InitializeAsync() => Server = await StartServerAsync();

    public async Task DisposeAsync()
    {
        foreach (var client in _open) await client.DisposeAsync();
        await Server.DisposeAsync();
        _clients.Dispose();
    }

    protected TopGunClient Open(string name, bool online = true, Func<TopGunClientOptions, TopGunClientOptions>? tweak = null)
    {
        var options = _clients.File(name, online ? Server.Url : null) with { Token = ValidToken };
        var client = new TopGunClient(tweak is null ? options : tweak(options));
        _open.Add(client);
        return client;
    }

    protected async Task Close(TopGunClient client)
    {
        _open.Remove(client);
        await client.DisposeAsync();
    }

    protected static Task Synced(TopGunClient client, string who = "client") =>
        Eventually.Within(client.WaitForSyncAsync(), who + " is connected with every op acknowledged");

    private static Value TodoValue(string text, bool done) => Value.Map(("text", text), ("done", done));

    [Fact]
    public async Task Offline_writes_reach_the_server_once_connected()
    {
        var offline = Open("writer", online: false);
        var todos = offline.GetMap(M("todos"));
        todos.Set("t1", TodoValue("milk", false));
        todos.Set("t2", TodoValue("eggs", false));
        todos.Remove("t2");
        Assert.Equal(3, offline.PendingOps);
        await Close(offline);

        var writer = Open("writer");
        await Synced(writer, "the reconnected writer");
        Assert.Equal(0, writer.PendingOps);

        var reader = Open("reader");
        var view = reader.GetMap(M("todos"));
        await Synced(reader, "the reader");
        Assert.Equal(TodoValue("milk", false), view.Get("t1"));
        Assert.Null(view.Get("t2"));
    }

    [Fact]
    public async Task Acknowledged_ops_leave_the_durable_log_and_the_data_stays()
    {
        var offline = Open("c", online: false);
        offline.GetMap(M("m")).Set("a", 1.0);
        offline.GetORMap(M("s")).Add("k", "v");
        await Close(offline);

        var online = Open("c");
        await Synced(online);
        await Close(online);

        var restarted = Open("c", online: false);
        Assert.Equal(0, restarted.PendingOps);
        Assert.Equal(Value.Of(1.0), restarted.GetMap(M("m")).Get("a"));
        Assert.Equal([Value.Of("v")], restarted.GetORMap(M("s")).Get("k"));
    }

    [Fact]
    public async Task Server_changes_made_while_offline_are_pulled_by_merkle_sync_on_reconnect()
    {
        var a = Open("a");
        a.GetMap(M("todos")).Set("t1", TodoValue("milk", false));
        a.GetMap(M("todos")).Set("t2", TodoValue("eggs", false));
        await Synced(a, "a");
        await Close(a);

        var b = Open("b");
        var bTodos = b.GetMap(M("todos"));
        await Synced(b, "b");
        for (var i = 0; i < 50; i++) bTodos.Set("bulk-" + i, TodoValue("item " + i, i % 2 == 0));
        bTodos.Set("t1", TodoValue("oat milk", true));
        bTodos.Remove("t2");
        await Synced(b, "b after its writes");

        var offlineA = Open("a", online: false);
        Assert.Equal(TodoValue("milk", false), offlineA.GetMap(M("todos")).Get("t1"));
        await Close(offlineA);

        var again = Open("a");
        var aTodos = again.GetMap(M("todos"));
        await Synced(again, "a after reconnecting");
        Assert.Equal(TodoValue("oat milk", true), aTodos.Get("t1"));
        Assert.Null(aTodos.Get("t2"));
        Assert.Equal(52 - 1, aTodos.Keys.Count);
        Assert.Equal(TodoValue("item 7", false), aTodos.Get("bulk-7"));
    }

    [Fact]
    public async Task Two_clients_converge_after_concurrent_offline_edits_of_an_lww_map()
    {
        var a = Open("a");
        var b = Open("b");
        a.GetMap(M("doc")).Set("shared", "base");
        await Synced(a, "a");
        b.GetMap(M("doc"));
        await Synced(b, "b");
        await Close(a);
        await Close(b);

        var offA = Open("a", online: false);
        // b's edit is a second later on its clock, so LWW must pick it whatever the node ids.
        var later = new ManualTimeSource(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1_000);
        var offB = Open("b", online: false, tweak: o => o with { TimeSource = later });
        offA.GetMap(M("doc")).Set("shared", "from a");
        offA.GetMap(M("doc")).Set("only-a", 1.0);
        offB.GetMap(M("doc")).Set("shared", "from b");
        offB.GetMap(M("doc")).Set("only-b", 2.0);
        offB.GetMap(M("doc")).Remove("missing");
        await Close(offA);
        await Close(offB);

        a = Open("a");
        await Synced(a, "a");
        b = Open("b");
        await Synced(b, "b");
        await Close(a);
        a = Open("a");
        await Synced(a, "a again");

        var docA = a.GetMap(M("doc"));
        var docB = b.GetMap(M("doc"));
        Assert.Equal(docA.Entries.OrderBy(e => e.Key), docB.Entries.OrderBy(e => e.Key));
        Assert.Equal(3, docA.Keys.Count);
        Assert.Equal(Value.Of("from b"), docA.Get("shared"));
    }

    [Fact]
    public async Task Two_clients_converge_after_concurrent_offline_edits_of_an_or_map()
    {
        var a = Open("a");
        a.GetORMap(M("tags")).Add("post", "red");
        await Synced(a, "a");
        var b = Open("b");
        b.GetORMap(M("tags"));
        await Synced(b, "b");
        Assert.Equal([Value.Of("red")], b.GetORMap(M("tags")).Get("post"));
        await Close(a);
        await Close(b);

        var offA = Open("a", online: false);
        var offB = Open("b", online: false);
        offA.GetORMap(M("tags")).Remove("post", "red");
        offA.GetORMap(M("tags")).Add("post", "green");
        offB.GetORMap(M("tags")).Add("post", "blue");
        offB.GetORMap(M("tags")).Add("other", "red");
        await Close(offA);
        await Close(offB);

        a = Open("a");
        await Synced(a, "a");
        b = Open("b");
        await Synced(b, "b");
        await Close(a);
        a = Open("a");
        await Synced(a, "a again");

        var expected = new[] { "blue", "green" };
        Assert.Equal(expected, a.GetORMap<string>(M("tags")).Get("post").Order());
        Assert.Equal(expected, b.GetORMap<string>(M("tags")).Get("post").Order());
        Assert.Equal(["red"], a.GetORMap<string>(M("tags")).Get("other"));
    }

    [Fact]
    public async Task Clients_writing_the_same_keys_concurrently_end_with_identical_replicas()
    {
        var names = new[] { "x", "y", "z" };
        var writers = names.Select(n => Open(n)).ToArray();
        await Task.WhenAll(writers.Select((client, index) => Task.Run(() =>
        {
            var random = new Random(index);
            var map = client.GetMap(M("race"));
            for (var i = 0; i < 300; i++)
            {
                var key = "k" + random.Next(40);
                if (random.Next(5) == 0) map.Remove(key);
                else map.Set(key, names[index] + i);
            }
        })));
        foreach (var client in writers) await Synced(client);
        foreach (var client in writers) await Close(client);

        // Fresh sessions pull everything by Merkle sync, whatever live events each one saw.
        var readers = names.Select(n => Open(n)).ToArray();
        foreach (var client in readers) await Synced(client);
        var states = readers.Select(c => c.GetMap(M("race")).Entries.OrderBy(e => e.Key, StringComparer.Ordinal).ToList()).ToArray();
        Assert.NotEmpty(states[0]);
        Assert.Equal(states[0], states[1]);
        Assert.Equal(states[0], states[2]);
    }

    [Fact]
    public async Task A_dropped_connection_during_sync_is_reestablished_and_the_sync_finishes()
    {
        var offline = Open("writer", online: false);
        var map = offline.GetMap(M("bulk"));
        for (var i = 0; i < 3000; i++) map.Set("k" + i, i);
        await Close(offline);

        var writer = Open("writer");
        var dropped = 0;
        using var _ = writer.StateChanges.Subscribe(s =>
        {
            if (s == ConnectionState.Syncing && Interlocked.Exchange(ref dropped, 1) == 0) Server.DropConnectionsAsync();
        });
        await Synced(writer, "the writer after the drop");
        Assert.Equal(1, dropped);

        var reader = Open("reader");
        var view = reader.GetMap(M("bulk"));
        await Synced(reader, "the reader");
        Assert.Equal(3000, view.Keys.Count);
    }

    [Fact]
    public async Task The_token_provider_is_asked_again_on_every_reconnect()
    {
        var calls = 0;
        var client = Open("c", tweak: o => o with { Token = null, TokenProvider = _ =>
        {
            Interlocked.Increment(ref calls);
            return ValueTask.FromResult<string?>(ValidToken);
        } });
        await Synced(client);
        Assert.Equal(1, calls);
        await Server.DropConnectionsAsync();
        await Eventually.True(() => Volatile.Read(ref calls) >= 2 && client.State == ConnectionState.Connected, "the client reconnects with a fresh token");
    }

    [Fact]
    public async Task A_live_query_applies_enter_update_and_leave_from_another_client()
    {
        var watcher = Open("watcher");
        using var query = watcher.Query<Todo>(M("todos"), new { where = new { done = false } });
        await Synced(watcher, "the watcher");
        var writer = Open("writer");
        var todos = writer.GetMap<Todo>(M("todos"));
        await Synced(writer, "the writer");

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var changes = query.ChangesAsync(cts.Token).GetAsyncEnumerator(cts.Token);

        todos.Set("t1", new Todo("milk", false));
        Assert.True(await changes.MoveNextAsync());
        Assert.Equal(new QueryChange<Todo>(QueryChangeKind.Enter, "t1", new Todo("milk", false)), changes.Current);

        todos.Set("t1", new Todo("oat milk", false));
        Assert.True(await changes.MoveNextAsync());
        Assert.Equal(new QueryChange<Todo>(QueryChangeKind.Update, "t1", new Todo("oat milk", false)), changes.Current);

        todos.Set("t1", new Todo("oat milk", true));
        Assert.True(await changes.MoveNextAsync());
        Assert.Equal((QueryChangeKind.Leave, "t1"), (changes.Current.Kind, changes.Current.Key));
        Assert.Empty(query.Results);
    }
}
