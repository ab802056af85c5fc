using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Protocol;
using TopGun.Core.Values;
using TopGun.Server.Tests.Protocol;

namespace TopGun.Server.Tests.Gateway;

/// <summary>A real node whose partitions check TTLs every 100 ms, shared by the live query tests (each test uses its own maps).</summary>
public sealed class LiveQueryNodeFixture : IAsyncLifetime
{
    public GatewayNode Node { get; private set; } = null!;

    public async Task InitializeAsync() => Node = await GatewayNode.StartAsync("topgun.maps.ttl-check-interval = 100ms");

    public async Task DisposeAsync() => await Node.DisposeAsync();
}

/// <summary>QUERY_SUB over real sockets and partitions: snapshots, operators, sort, limit windows, cursors and the change feed.</summary>
public sealed class LiveQueryTests(LiveQueryNodeFixture fixture) : IClassFixture<LiveQueryNodeFixture>
{
    private readonly Hlc _clock = new("client-lq");
    private int _opId;

    [Fact]
    public async Task Falsy_values_are_returned_and_matched_like_any_other_value()
    {
        var map = NewMap();
        await using var client = await Connect();
        await Write(client, map, ("zero", Doc(score: 0, name: "", ok: false)), ("one", Doc(score: 1, name: "a", ok: true)));

        var all = await Subscribe(client, "all", map, Value.Map());
        Assert.Equal(Doc(score: 0, name: "", ok: false), all.Results.AsSpan().ToArray().Single(r => r.Key == "zero").Value);
        foreach (var (field, value) in new[] { ("score", Value.Of(0)), ("name", Value.Of("")), ("ok", Value.False) })
        {
            var resp = await Subscribe(client, "by-" + field, map, Where((field, value)));
            Assert.Equal(["zero"], Keys(resp));
        }
    }

    [Fact]
    public async Task Every_where_operator_tracks_enter_update_and_leave()
    {
        var map = NewMap();
        await using var writer = await Connect();
        await using var reader = await Connect();
        await Write(writer, map, ("n0", Doc(score: 0)), ("n1", Doc(score: 1)), ("n5", Doc(score: 5)));

        var snapshots = new Dictionary<string, string[]>
        {
            ["$eq"] = ["n1"], ["$ne"] = ["n0", "n5"], ["$neq"] = ["n0", "n5"], ["$gt"] = ["n5"],
            ["$gte"] = ["n1", "n5"], ["$lt"] = ["n0"], ["$lte"] = ["n0", "n1"],
        };
        foreach (var (op, expected) in snapshots)
        {
            var resp = await Subscribe(reader, op, map, Where(("score", Value.Map((op, Value.Of(1))))));
            Assert.Equal(expected, Keys(resp).Order());
        }

        // n1: 1 -> 3, then 3 -> 0. Both changes are of one key, so they arrive in order.
        await Write(writer, map, ("n1", Doc(score: 3)));
        await Write(writer, map, ("n1", Doc(score: 0)));
        var updates = await CollectUpdates(reader, 6 + 5, u => u.Key == "n1");
        Assert.Equal(
            new[] { ("$eq", "REMOVE"), ("$ne", "UPDATE"), ("$neq", "UPDATE"), ("$gt", "UPDATE"), ("$gte", "UPDATE"), ("$lte", "REMOVE") }.Order(),
            updates.Take(6).Select(u => (u.QueryId, u.UpdateType)).Order());
        Assert.Equal(
            new[] { ("$ne", "UPDATE"), ("$neq", "UPDATE"), ("$gt", "REMOVE"), ("$gte", "REMOVE"), ("$lt", "UPDATE"), ("$lte", "UPDATE") }.Order(),
            updates.Skip(6).Take(5).Concat(await CollectUpdates(reader, 1, u => u.Key == "n1")).Select(u => (u.QueryId, u.UpdateType)).Order());
    }

    [Fact]
    public async Task Every_predicate_operator_filters_the_snapshot_and_nested_logic_tracks_changes()
    {
        var map = NewMap();
        await using var client = await Connect();
        await Write(client, map,
            ("a", Item("Fresh Milk", 3, false, "food", "cold")),
            ("b", Item("Eggs", 12, true, "food")),
            ("c", Item("Soap", 1, false, "home")));

        var cases = new (string Id, Value Predicate, string[] Expected)[]
        {
            ("eq", Leaf("eq", "done", Value.True), ["b"]),
            ("neq", Leaf("neq", "done", Value.True), ["a", "c"]),
            ("gt", Leaf("gt", "qty", Value.Of(3)), ["b"]),
            ("gte", Leaf("gte", "qty", Value.Of(3)), ["a", "b"]),
            ("lt", Leaf("lt", "qty", Value.Of(3)), ["c"]),
            ("lte", Leaf("lte", "qty", Value.Of(3)), ["a", "c"]),
            ("like", Leaf("like", "title", Value.Of("%MILK")), ["a"]),
            ("regex", Leaf("regex", "title", Value.Of("^E.g")), ["b"]),
            ("contains", Leaf("contains", "tags", Value.Of("cold")), ["a"]),
            ("containsAll", Leaf("containsAll", "tags", Value.Array(Value.Of("food"), Value.Of("cold"))), ["a"]),
            ("containsAny", Leaf("containsAny", "tags", Value.Array(Value.Of("home"), Value.Of("cold"))), ["a", "c"]),
            ("key", Leaf("eq", "_key", Value.Of("c")), ["c"]),
            ("nested", Logic("and",
                Logic("or", Leaf("like", "title", Value.Of("%milk%")), Leaf("contains", "tags", Value.Of("home"))),
                Logic("not", Leaf("eq", "done", Value.True))), ["a", "c"]),
        };
        foreach (var (id, predicate, expected) in cases)
        {
            var resp = await Subscribe(client, id, map, Value.Map(("predicate", predicate)));
            Assert.True(expected.SequenceEqual(Keys(resp).Order()), $"{id}: expected [{string.Join(",", expected)}], got [{string.Join(",", Keys(resp))}]");
        }

        // c stops matching the nested query (done), b starts matching it (tagged home and not done).
        await Write(client, map, ("c", Item("Soap", 1, true, "home")), ("b", Item("Eggs", 12, false, "home")));
        var nested = await CollectUpdates(client, 2, u => u.QueryId == "nested");
        Assert.Equal([("b", "UPDATE"), ("c", "REMOVE")], nested.Select(u => (u.Key, u.UpdateType)).Order());
    }

    [Fact]
    public async Task Snapshots_sort_ascending_and_descending_on_several_fields()
    {
        var map = NewMap();
        await using var client = await Connect();
        await Write(client, map,
            ("k1", Ranked("b", 1)), ("k2", Ranked("a", 2)), ("k3", Ranked("b", 3)), ("k4", Ranked("a", 1)), ("k5", Ranked("c", 2)));

        var groupAscScoreDesc = await Subscribe(client, "s1", map, Sorted(("group", "asc"), ("score", "desc")));
        Assert.Equal(["k2", "k4", "k3", "k1", "k5"], Keys(groupAscScoreDesc));
        var scoreAscGroupDesc = await Subscribe(client, "s2", map, Sorted(("score", "asc"), ("group", "desc")));
        Assert.Equal(["k1", "k4", "k5", "k2", "k3"], Keys(scoreAscGroupDesc));
        var groupDescScoreAsc = await Subscribe(client, "s3", map, Sorted(("group", "desc"), ("score", "asc")));
        Assert.Equal(["k5", "k1", "k3", "k4", "k2"], Keys(groupDescScoreAsc));
    }

    [Fact]
    public async Task A_limited_window_refills_when_a_member_leaves_and_drops_its_last_member_when_a_better_record_enters()
    {
        var map = NewMap();
        await using var writer = await Connect();
        await using var reader = await Connect();
        await Write(writer, map, Enumerable.Range(1, 6).Select(i => ("k" + i, (Value?)Ranked("g", i))).ToArray());
        var query = Value.Map(("sort", Value.Map(("score", Value.Of("asc")))), ("limit", Value.Of(3)));
        var snapshot = await Subscribe(reader, "top3", map, query);
        Assert.Equal(["k1", "k2", "k3"], Keys(snapshot));
        Assert.True(snapshot.HasMore);
        var window = new Window(3, Keys(snapshot));

        // A deleted member leaves and the next record enters.
        await Write(writer, map, ("k2", null));
        await window.Reaches(reader, "top3", ["k1", "k3", "k4"]);

        // A better-ranked record pushes the last member out.
        await Write(writer, map, ("k0", Ranked("g", 0)));
        await window.Reaches(reader, "top3", ["k0", "k1", "k3"]);

        // A member that changes so it no longer matches leaves; so does one that now ranks behind the next record.
        await Write(writer, map, ("k1", Value.Of("not a document")));
        await window.Reaches(reader, "top3", ["k0", "k3", "k4"]);
        await Write(writer, map, ("k0", Ranked("g", 100)));
        await window.Reaches(reader, "top3", ["k3", "k4", "k5"]);

        // A record ranked behind a full window stays out.
        await Write(writer, map, ("k9", Ranked("g", 50)));
        await window.Reaches(reader, "top3", ["k3", "k4", "k5"], barrier: () => Write(writer, map, ("k4", Ranked("g", 4.5))), barrierKey: "k4");
    }

    [Fact]
    public async Task Cursor_paging_walks_three_pages_exactly_once_and_bad_cursors_restart_at_the_first_page()
    {
        var map = NewMap();
        await using var client = await Connect();
        await Write(client, map, Enumerable.Range(1, 8).Select(i => ($"p{i}", (Value?)Ranked(i % 2 == 0 ? "even" : "odd", i))).ToArray());
        var seen = new List<string>();
        string? cursor = null;
        var statuses = new List<string?>();
        for (var page = 0; page < 3; page++)
        {
            var sort = Value.Map(("group", Value.Of("asc")), ("score", Value.Of("desc")));
            var query = cursor is null
                ? Value.Map(("sort", sort), ("limit", Value.Of(3)))
                : Value.Map(("sort", sort), ("limit", Value.Of(3)), ("cursor", Value.Of(cursor)));
            var resp = await Subscribe(client, "page" + page, map, query);
            seen.AddRange(Keys(resp));
            statuses.Add(resp.CursorStatus);
            Assert.Equal(page < 2, resp.HasMore == true);
            cursor = resp.NextCursor;
        }
        Assert.Equal(["p8", "p6", "p4", "p2", "p7", "p5", "p3", "p1"], seen);
        Assert.Equal(["none", "valid", "valid"], statuses);

        var bad = await Subscribe(client, "bad", map, Value.Map(("limit", Value.Of(3)), ("cursor", Value.Of("not-a-cursor"))));
        Assert.Equal("invalid", bad.CursorStatus);
        Assert.Equal(["p1", "p2", "p3"], Keys(bad));
    }

    [Fact]
    public async Task A_cursor_page_keeps_its_window_and_ignores_records_that_rank_before_its_cursor()
    {
        var map = NewMap();
        await using var writer = await Connect();
        await using var reader = await Connect();
        await Write(writer, map, Enumerable.Range(1, 9).Select(i => ($"p{i}", (Value?)Ranked("g", i))).ToArray());
        var sort = Value.Map(("score", Value.Of("asc")));
        var first = await Subscribe(reader, "page1", map, Value.Map(("sort", sort), ("limit", Value.Of(3))));
        await reader.SendAsync(new QueryUnsubMessage("page1"));
        var second = await Subscribe(reader, "page2", map, Value.Map(("sort", sort), ("limit", Value.Of(3)), ("cursor", Value.Of(first.NextCursor!))));
        Assert.Equal(["p4", "p5", "p6"], Keys(second));
        var window = new Window(3, Keys(second));

        // Both keys live in one partition, so the second change reaches the query after the first one.
        var (early, middle) = KeysOfOnePartition();
        await Write(writer, map, (early, Ranked("g", 0.5)));
        await Write(writer, map, (middle, Ranked("g", 4.5)));

        await window.Reaches(reader, "page2", ["p4", middle, "p5"]);
    }

    [Fact]
    public async Task Unsubscribing_one_query_leaves_other_queries_and_clients_untouched()
    {
        var map = NewMap();
        await using var a = await Connect();
        await using var b = await Connect();
        await Subscribe(a, "q1", map, Value.Map());
        await Subscribe(a, "q2", map, Value.Map());
        await Subscribe(b, "q1", map, Value.Map());

        await a.SendAsync(new QueryUnsubMessage("q1"));
        await Write(b, map, ("x", Value.Of(1)));

        var aUpdates = await CollectUpdates(a, 1, _ => true);
        Assert.Equal("q2", aUpdates[0].QueryId);
        Assert.Equal("q1", (await CollectUpdates(b, 1, _ => true))[0].QueryId);
        // Same key, same partition: once a has the second change for q2, any q1 update would have come before it.
        await Write(b, map, ("x", Value.Of(2)));
        Assert.Equal("q2", (await CollectUpdates(a, 1, _ => true))[0].QueryId);
    }

    [Fact]
    public async Task Many_clients_with_the_same_query_all_see_a_change()
    {
        var map = NewMap();
        var clients = new List<ProtocolClient>();
        try
        {
            for (var i = 0; i < 25; i++)
            {
                var client = await Connect();
                clients.Add(client);
                await Subscribe(client, "q", map, Where(("done", Value.False)));
            }
            await Write(clients[0], map, ("t", Value.Map(("done", Value.False))));
            foreach (var client in clients)
            {
                var update = (await CollectUpdates(client, 1, _ => true))[0];
                Assert.Equal(("t", "UPDATE"), (update.Key, update.UpdateType));
            }
        }
        finally
        {
            foreach (var client in clients) await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_record_whose_ttl_expires_leaves_the_query()
    {
        var map = NewMap();
        await using var writer = await Connect();
        await using var reader = await Connect();
        await Subscribe(reader, "q", map, Value.Map());

        var op = new ClientOp(map, "short-lived", Id: NextId(), Record: new LwwRecord(Value.Of("soon gone"), _clock.Now(), TtlMs: 300));
        await writer.SendAsync(new ClientOpMessage(op));
        await writer.ExpectEventuallyAsync<OpAckMessage>();

        var updates = await CollectUpdates(reader, 2, _ => true);
        Assert.Equal([("short-lived", "UPDATE"), ("short-lived", "REMOVE")], updates.Select(u => (u.Key, u.UpdateType)));
        Assert.True(updates[1].Value.IsNull);
    }

    private static string NewMap() => "lq-" + Guid.NewGuid().ToString("N")[..12];

    private string NextId() => Interlocked.Increment(ref _opId).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private async Task<ProtocolClient> Connect() => await ProtocolClient.ConnectAndAuthenticateAsync(fixture.Node.Address, TestTokens.Valid());

    private async Task Write(ProtocolClient client, string map, params (string Key, Value? Value)[] records)
    {
        var ops = records.Select(r => new ClientOp(map, r.Key, Id: NextId(),
            Record: r.Value is { } v ? new LwwRecord(v, _clock.Now()) : LwwRecord.Tombstone(_clock.Now()))).ToArray();
        await client.SendAsync(new OpBatchMessage(ops));
        var last = ops[^1].Id;
        await client.ExpectEventuallyAsync<OpAckMessage>(a => a.LastId == last);
    }

    private static async Task<QueryRespMessage> Subscribe(ProtocolClient client, string queryId, string map, Value query)
    {
        await client.SendAsync(new QuerySubMessage(queryId, map, query));
        return await client.ExpectEventuallyAsync<QueryRespMessage>(r => r.QueryId == queryId);
    }

    private static async Task<List<QueryUpdateMessage>> CollectUpdates(ProtocolClient client, int count, Func<QueryUpdateMessage, bool> match)
    {
        var updates = new List<QueryUpdateMessage>();
        while (updates.Count < count) updates.Add(await client.ExpectEventuallyAsync(match));
        return updates;
    }

    private static (string, string) KeysOfOnePartition()
    {
        var first = "x-" + Guid.NewGuid().ToString("N")[..6];
        for (var i = 0; ; i++)
        {
            var candidate = first + "-" + i;
            if (TopGun.Server.Maps.PartitionKey.Of(candidate, 16) == TopGun.Server.Maps.PartitionKey.Of(first, 16)) return (first, candidate);
        }
    }

    private static string[] Keys(QueryRespMessage resp) => resp.Results.AsSpan().ToArray().Select(r => r.Key).ToArray();

    private static Value Doc(double score, string name = "n", bool ok = true) =>
        Value.Map(("score", Value.Of(score)), ("name", Value.Of(name)), ("ok", Value.Of(ok)));

    private static Value Item(string title, double qty, bool done, params string[] tags) =>
        Value.Map(("title", Value.Of(title)), ("qty", Value.Of(qty)), ("done", Value.Of(done)), ("tags", Value.Array(tags.Select(Value.Of).ToArray())));

    private static Value Ranked(string group, double score) => Value.Map(("group", Value.Of(group)), ("score", Value.Of(score)));

    private static Value Where(params (string Field, Value Value)[] fields) => Value.Map(("where", Value.Map(fields)));

    private static Value Sorted(params (string Field, string Direction)[] fields) =>
        Value.Map(("sort", Value.Map(fields.Select(f => (f.Field, Value.Of(f.Direction))).ToArray())));

    private static Value Leaf(string op, string attribute, Value value) =>
        Value.Map(("op", Value.Of(op)), ("attribute", Value.Of(attribute)), ("value", value));

    private static Value Logic(string op, params Value[] children) => Value.Map(("op", Value.Of(op)), ("children", Value.Array(children)));

    /// <summary>The client's view of a limited query: applies QUERY_UPDATEs and checks the window never outgrows the limit.</summary>
    private sealed class Window(int limit, IEnumerable<string> initial)
    {
        private readonly HashSet<string> _keys = new(initial, StringComparer.Ordinal);

        public async Task Reaches(ProtocolClient client, string queryId, string[] expected, Func<Task>? barrier = null, string? barrierKey = null)
        {
            if (barrier is not null) await barrier();
            var barrierSeen = barrierKey is null;
            while (!(_keys.SetEquals(expected) && barrierSeen))
            {
                var update = await client.ExpectEventuallyAsync<QueryUpdateMessage>(u => u.QueryId == queryId);
                if (update.UpdateType == "REMOVE") _keys.Remove(update.Key);
                else _keys.Add(update.Key);
                if (update.Key == barrierKey) barrierSeen = true;
                Assert.True(_keys.Count <= limit, $"The window holds {_keys.Count} keys: {string.Join(",", _keys)}");
            }
        }
    }
}
