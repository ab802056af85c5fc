using System.Net.WebSockets;
using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Protocol;
using TopGun.Core.Values;
using TopGun.Server.Tests.Protocol;
using TopGun.Server.Tests.Support;

namespace TopGun.Server.Tests.Gateway;

/// <summary>One real node on SQLite with real map partitions, shared by the end-to-end tests (each test uses its own maps).</summary>
public sealed class SqliteEndToEndNodeFixture : IAsyncLifetime
{
    public GatewayNode Node { get; private set; } = null!;

    public async Task InitializeAsync() => Node = await GatewayNode.StartAsync();

    public async Task DisposeAsync() => await Node.DisposeAsync();
}

/// <summary>
/// One real node on PostgreSQL (TOPGUN_TEST_POSTGRES, its own schema, dropped afterwards); fails with
/// instructions when the variable is missing.
/// </summary>
public sealed class PostgresEndToEndNodeFixture : IAsyncLifetime
{
    private TestPostgres? _postgres;

    public GatewayNode Node { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _postgres = TestPostgres.Create();
        Node = await GatewayNode.StartAsync(environment: GatewayNode.ForPostgres(_postgres));
    }

    public async Task DisposeAsync()
    {
        if (Node is not null) await Node.DisposeAsync();
        if (_postgres is not null) await _postgres.DisposeAsync();
    }
}

public sealed class SqliteGatewayEndToEndTests(SqliteEndToEndNodeFixture fixture)
    : GatewayEndToEndTests(fixture.Node), IClassFixture<SqliteEndToEndNodeFixture>;

/// <summary>Needs TOPGUN_TEST_POSTGRES (scripts/test.sh provides it); fails with instructions otherwise.</summary>
public sealed class PostgresGatewayEndToEndTests(PostgresEndToEndNodeFixture fixture)
    : GatewayEndToEndTests(fixture.Node), IClassFixture<PostgresEndToEndNodeFixture>;

/// <summary>
/// Writes, change feed, Merkle sync and queries through real WebSockets, shard regions and a real journal;
/// the same tests run once per storage (the subclasses above).
/// </summary>
public abstract class GatewayEndToEndTests(GatewayNode node)
{
    private readonly Hlc _clientClock = new("client-a");

    private Uri Address => node.Address;

    [Fact]
    public async Task An_op_batch_is_acked_with_a_result_per_op_once_durable()
    {
        await using var client = await Connect();
        var ops = Enumerable.Range(1, 5)
            .Select(i => new ClientOp("batch-map", "key-" + i, Id: i.ToString(), Record: Put(Value.Of(i))))
            .ToArray();

        await client.SendAsync(new OpBatchMessage(ops, WriteConcern.Persisted));

        var ack = await client.ExpectEventuallyAsync<OpAckMessage>();
        Assert.Equal("5", ack.LastId);
        Assert.Equal(WriteConcern.Persisted, ack.AchievedLevel);
        var results = ack.Results!.AsSpan().ToArray();
        Assert.Equal(["1", "2", "3", "4", "5"], results.Select(r => r.OpId).Order());
        Assert.All(results, r => Assert.True(r.Success));
    }

    [Fact]
    public async Task A_single_client_op_with_an_id_is_acked_for_lww_and_or_maps()
    {
        await using var client = await Connect();
        var added = new OrMapRecord(Value.Of("milk"), _clientClock.Now(), "");
        added = added with { Tag = added.Timestamp.ToString() };

        await client.SendAsync(new ClientOpMessage(new ClientOp("single-lww", "k", Id: "op-1", Record: Put(Value.Of("v")))));
        Assert.Equal("op-1", (await client.ExpectEventuallyAsync<OpAckMessage>()).LastId);
        await client.SendAsync(new ClientOpMessage(new ClientOp("single-or", "list", Id: "op-2", OpType: "OR_ADD", OrRecord: added)));
        Assert.Equal("op-2", (await client.ExpectEventuallyAsync<OpAckMessage>()).LastId);
        await client.SendAsync(new ClientOpMessage(new ClientOp("single-or", "list", Id: "op-3", OpType: "OR_REMOVE", OrTag: added.Tag)));
        Assert.Equal("op-3", (await client.ExpectEventuallyAsync<OpAckMessage>()).LastId);
    }

    [Fact]
    public async Task An_op_of_the_other_kind_is_rejected_once_a_map_kind_is_fixed()
    {
        await using var client = await Connect();
        await client.SendAsync(new ClientOpMessage(new ClientOp("kind-map", "a", Id: "1", Record: Put(Value.Of(1)))));
        await client.ExpectEventuallyAsync<OpAckMessage>();
        var tag = _clientClock.Now();

        await client.SendAsync(new ClientOpMessage(new ClientOp("kind-map", "b", Id: "2", OpType: "OR_ADD",
            OrRecord: new OrMapRecord(Value.Of(2), tag, tag.ToString()))));

        var rejected = await client.ExpectEventuallyAsync<OpRejectedMessage>();
        Assert.Equal("2", rejected.OpId);
        Assert.Contains("LWW map", rejected.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_subscriber_gets_server_events_and_the_writer_does_not()
    {
        await using var writer = await Connect();
        await using var reader = await Connect();
        await Subscribe(writer, "feed-map", "w");
        await Subscribe(reader, "feed-map", "r");
        var record = Put(Value.Map(("title", Value.Of("milk"))));

        await writer.SendAsync(new ClientOpMessage(new ClientOp("feed-map", "t1", Id: "1", Record: record)));

        var serverEvent = await reader.ExpectEventuallyAsync<ServerEventMessage>();
        Assert.Equal(new ServerEventPayload("feed-map", "t1", "UPDATED", record), serverEvent.Payload);
        // A later change by the reader goes through the same partition and map topic after the writer's own, so an
        // echo of t1 would reach the writer before it: everything the writer hears until then, before or after its
        // ack, must be free of server events (its own query may still move).
        await reader.SendAsync(new ClientOpMessage(new ClientOp("feed-map", "t2", Id: "2", Record: Put(Value.Of("eggs")))));
        var (acked, heardReader) = (false, false);
        while (!(acked && heardReader))
        {
            var message = await writer.NextAsync();
            Assert.True(message is not null, "the writer heard neither its ack nor the reader's change");
            Assert.IsNotType<ServerBatchEventMessage>(message);
            if (message is OpAckMessage) acked = true;
            if (message is ServerEventMessage heard)
            {
                Assert.False(heardReader, "a second server event reached the writer");
                Assert.Equal("t2", heard.Payload.Key);
                heardReader = true;
            }
        }
    }

    [Fact]
    public async Task A_client_that_pulls_the_merkle_tree_reaches_the_server_root()
    {
        await using var writer = await Connect();
        var ops = Enumerable.Range(0, 60)
            .Select(i => new ClientOp("sync-map", "item-" + i, Id: i.ToString(), Record: i % 7 == 0 ? LwwRecord.Tombstone(_clientClock.Now()) : Put(Value.Of(i))))
            .ToArray();
        await writer.SendAsync(new OpBatchMessage(ops));
        await writer.ExpectEventuallyAsync<OpAckMessage>();

        await using var client = await Connect();
        var local = new LwwMap(new Hlc("client-b"));
        await client.SendAsync(new SyncInitMessage("sync-map", 0));
        var root = await client.ExpectEventuallyAsync<SyncRespRootMessage>();
        Assert.NotEqual(0u, root.RootHash);

        var pending = new Queue<string>([""]);
        while (pending.TryDequeue(out var path))
        {
            await client.SendAsync(new MerkleReqBucketMessage("sync-map", path));
            var reply = await client.NextAsync();
            switch (reply)
            {
                case SyncRespBucketsMessage buckets:
                    Assert.Equal(path, buckets.Path);
                    foreach (var (child, _) in buckets.Buckets) pending.Enqueue(path + child);
                    break;
                case SyncRespLeafMessage leaf:
                    Assert.Equal(3, leaf.Path.Length);
                    foreach (var item in leaf.Records) local.Merge(item.Key, item.Record);
                    break;
                default:
                    throw new Xunit.Sdk.XunitException("Unexpected reply during sync: " + reply);
            }
        }

        Assert.Equal(60, local.Count);
        Assert.Equal(root.RootHash, local.Merkle.RootHash);
    }

    [Fact]
    public async Task Or_sync_pulls_leaves_and_push_diff_merges_records_and_tombstones()
    {
        await using var writer = await Connect();
        var serverSide = new OrMap(new Hlc("client-w"));
        var ops = new List<ClientOp>();
        var records = new List<OrMapRecord>();
        for (var i = 0; i < 10; i++)
        {
            var record = serverSide.Add("list-" + (i % 4), Value.Of("item-" + i));
            records.Add(record);
            ops.Add(new ClientOp("or-sync", "list-" + (i % 4), Id: i.ToString(), OpType: "OR_ADD", OrRecord: record));
        }
        // A record removed on the server that the pulling client still holds: only the leaf's tombstones can drop it.
        var removed = records[0];
        serverSide.Remove("list-0", removed.Value);
        ops.Add(new ClientOp("or-sync", "list-0", Id: "10", OpType: "OR_REMOVE", OrTag: removed.Tag));
        await writer.SendAsync(new OpBatchMessage(ops.ToArray()));
        await writer.ExpectEventuallyAsync<OpAckMessage>(a => a.LastId == "10");

        await using var client = await Connect();
        await Subscribe(writer, "or-sync", "feed");
        var local = new OrMap(new Hlc("client-o"));
        local.MergeKey("list-0", [removed], []);
        await client.SendAsync(new OrMapSyncInitMessage("or-sync", 0, WireMap<uint>.Empty));
        var root = await client.ExpectEventuallyAsync<OrMapSyncRespRootMessage>();
        Assert.Equal(serverSide.Merkle.RootHash, root.RootHash);
        var pending = new Queue<string>([""]);
        while (pending.TryDequeue(out var path))
        {
            await client.SendAsync(new OrMapMerkleReqBucketMessage("or-sync", path));
            switch (await client.NextAsync())
            {
                case OrMapSyncRespBucketsMessage buckets:
                    foreach (var (child, _) in buckets.Buckets) pending.Enqueue(path + child);
                    break;
                case OrMapSyncRespLeafMessage leaf:
                    foreach (var entry in leaf.Entries) local.MergeKey(entry.Key, entry.Records.AsSpan().ToArray(), entry.Tombstones.AsSpan().ToArray());
                    break;
                case var other:
                    throw new Xunit.Sdk.XunitException("Unexpected reply during OR sync: " + other);
            }
        }
        Assert.Equal(root.RootHash, local.Merkle.RootHash);
        Assert.DoesNotContain(removed.Value, local.Get("list-0"));

        // The client adds one record offline and removes another, then pushes its entries for those keys.
        var extra = local.Add("list-0", Value.Of("offline"));
        local.Remove("list-1", local.Get("list-1")[0]);
        var keys = new[] { "list-0", "list-1" };
        await client.SendAsync(new OrMapPushDiffMessage("or-sync", keys.Select(k => new OrMapEntry(k,
            local.GetRecords(k).ToArray(),
            local.Tombstones.Where(t => !local.TryGetKeyOfTag(t, out var owner) || owner == k).ToArray())).ToArray()));

        // Both changes of one merge come in one SERVER_BATCH_EVENT: the new record and the new tombstone.
        var events = await writer.ExpectEventuallyAsync<ServerBatchEventMessage>();
        var payloads = events.Events.AsSpan().ToArray();
        Assert.Equal(extra, payloads.Single(e => e.EventType == "OR_ADD").OrRecord);
        Assert.Equal("list-1", payloads.Single(e => e.EventType == "OR_REMOVE").Key);
        await client.SendAsync(new OrMapDiffRequestMessage("or-sync", keys));
        var diff = await client.ExpectEventuallyAsync<OrMapDiffResponseMessage>();
        var list0 = diff.Entries.AsSpan().ToArray().Single(e => e.Key == "list-0");
        Assert.Contains(extra, list0.Records.AsSpan().ToArray());
        await client.SendAsync(new OrMapSyncInitMessage("or-sync", root.RootHash, WireMap<uint>.Empty));
        Assert.Equal(local.Merkle.RootHash, (await client.ExpectEventuallyAsync<OrMapSyncRespRootMessage>()).RootHash);
    }

    [Fact]
    public async Task A_query_answers_a_snapshot_then_updates_and_removals_until_unsubscribed()
    {
        await using var writer = await Connect();
        await writer.SendAsync(new OpBatchMessage(new[]
        {
            new ClientOp("todo-q", "t1", Id: "1", Record: Put(Todo("milk", done: false))),
            new ClientOp("todo-q", "t2", Id: "2", Record: Put(Todo("eggs", done: true))),
            new ClientOp("todo-q", "t3", Id: "3", Record: Put(Todo("bread", done: false))),
        }));
        await writer.ExpectEventuallyAsync<OpAckMessage>();

        await using var reader = await Connect();
        var open = Value.Map(("where", Value.Map(("done", Value.False))), ("sort", Value.Map(("title", Value.Of("asc")))));
        await reader.SendAsync(new QuerySubMessage("open", "todo-q", open));
        var snapshot = await reader.ExpectEventuallyAsync<QueryRespMessage>();
        Assert.Equal(["t3", "t1"], snapshot.Results.AsSpan().ToArray().Select(r => r.Key));

        await writer.SendAsync(new ClientOpMessage(new ClientOp("todo-q", "t4", Id: "4", Record: Put(Todo("jam", done: false)))));
        var entered = await reader.ExpectEventuallyAsync<QueryUpdateMessage>();
        Assert.Equal(("t4", "UPDATE"), (entered.Key, entered.UpdateType));

        await writer.SendAsync(new ClientOpMessage(new ClientOp("todo-q", "t1", Id: "5", Record: Put(Todo("milk", done: true)))));
        var left = await reader.ExpectEventuallyAsync<QueryUpdateMessage>();
        Assert.Equal(("t1", "REMOVE"), (left.Key, left.UpdateType));
        Assert.True(left.Value.IsNull);

        await reader.SendAsync(new QueryUnsubMessage("open"));
        await writer.SendAsync(new ClientOpMessage(new ClientOp("todo-q", "t5", Id: "6", Record: Put(Todo("tea", done: false)))));
        await writer.ExpectEventuallyAsync<OpAckMessage>(a => a.LastId == "6");
        await reader.SendAsync(new PingMessage(5));
        while (await reader.NextAsync() is { } message and not PongMessage)
            Assert.False(message is QueryUpdateMessage { Key: "t5" }, "A QUERY_UPDATE arrived after QUERY_UNSUB");
    }

    [Fact]
    public async Task A_query_on_an_or_map_follows_adds_and_removes()
    {
        await using var writer = await Connect();
        await using var reader = await Connect();
        await reader.SendAsync(new QuerySubMessage("tags", "or-q", Value.Map()));
        Assert.Empty((await reader.ExpectEventuallyAsync<QueryRespMessage>()).Results.AsSpan().ToArray());

        var ts = _clientClock.Now();
        var record = new OrMapRecord(Value.Of("red"), ts, ts.ToString());
        await writer.SendAsync(new ClientOpMessage(new ClientOp("or-q", "colors", Id: "1", OpType: "OR_ADD", OrRecord: record)));
        var entered = await reader.ExpectEventuallyAsync<QueryUpdateMessage>();
        Assert.Equal(("colors", "UPDATE"), (entered.Key, entered.UpdateType));
        Assert.Equal(Value.Array(Value.Of("red")), entered.Value);

        await writer.SendAsync(new ClientOpMessage(new ClientOp("or-q", "colors", Id: "2", OpType: "OR_REMOVE", OrTag: record.Tag)));
        var left = await reader.ExpectEventuallyAsync<QueryUpdateMessage>();
        Assert.Equal(("colors", "REMOVE"), (left.Key, left.UpdateType));
    }

    [Fact]
    public async Task An_invalid_query_gets_error_400()
    {
        await using var client = await Connect();

        await client.SendAsync(new QuerySubMessage("bad", "todo-q", Value.Map(("limit", Value.Of("ten")))));

        var error = await client.ExpectAsync<ErrorMessage>();
        Assert.Equal(400, error.Code);
    }

    private async Task<ProtocolClient> Connect() => await ProtocolClient.ConnectAndAuthenticateAsync(Address, TestTokens.Valid());

    private static async Task Subscribe(ProtocolClient client, string mapName, string queryId)
    {
        await client.SendAsync(new QuerySubMessage(queryId, mapName, Value.Map()));
        await client.ExpectEventuallyAsync<QueryRespMessage>(r => r.QueryId == queryId);
    }

    private LwwRecord Put(Value value) => new(value, _clientClock.Now());

    private static Value Todo(string title, bool done) => Value.Map(("title", Value.Of(title)), ("done", Value.Of(done)));
}

/// <summary>SIGTERM-style host stop with connected clients.</summary>
public sealed class GracefulShutdownTests
{
    [Fact]
    public async Task Stopping_the_host_sends_shutdown_pending_then_closes_1001()
    {
        await using var node = await GatewayNode.StartAsync();
        await using var client = await ProtocolClient.ConnectAndAuthenticateAsync(node.Address, TestTokens.Valid());

        var stopping = node.StopAsync();
        var before = await client.ExpectCloseAsync();
        await stopping;

        var pending = Assert.IsType<ShutdownPendingMessage>(Assert.Single(before));
        Assert.Equal(5000, pending.RetryAfter);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, client.CloseStatus);
    }
}
