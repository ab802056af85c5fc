using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Protocol;
using TopGun.Core.Values;
using TopGun.Server.Maps;
using TopGun.Server.Tests.Protocol;

namespace TopGun.Server.Tests.Gateway;

/// <summary>A node with access policies: private per-user maps, read-only public maps with a field allow-list, append-only maps.</summary>
public sealed class PolicyNodeFixture : IAsyncLifetime
{
    public const string Policies = """
        topgun.security.policies = [
          { role = "USER", map = "notes-{userId}", actions = ["ALL"] },
          { role = "USER", map = "public*", actions = ["READ"], fields = ["title", "done"] },
          { role = "USER", map = "append*", actions = ["READ", "PUT"] }
        ]
        """;

    public GatewayNode Node { get; private set; } = null!;

    public async Task InitializeAsync() => Node = await GatewayNode.StartAsync(Policies);

    public async Task DisposeAsync() => await Node.DisposeAsync();
}

/// <summary>Access policies and field-level security on every message type and outbound path, over real sockets.</summary>
public sealed class AccessControlEndToEndTests(PolicyNodeFixture fixture) : IClassFixture<PolicyNodeFixture>
{
    private static readonly Value Secret = Value.Of("hunter2");
    private readonly Hlc _clock = new("client-acl");
    private int _opId;

    [Fact]
    public async Task Every_message_type_naming_a_map_is_denied_without_the_permission()
    {
        var closed = "closed-" + Guid.NewGuid().ToString("N")[..8];
        var publicMap = "public-" + Guid.NewGuid().ToString("N")[..8];
        await using var alice = await Connect("alice");

        await alice.SendAsync(new ClientOpMessage(new ClientOp(closed, "k", Id: "c1", Record: Put(Value.Of(1)))));
        var rejected = await alice.ExpectEventuallyAsync<OpRejectedMessage>();
        Assert.Equal(("c1", "Access Denied", 403), (rejected.OpId, rejected.Reason, rejected.Code));

        var denials = new Message[]
        {
            new SyncInitMessage(closed, 0),
            new MerkleReqBucketMessage(closed, ""),
            new OrMapSyncInitMessage(closed, 0, WireMap<uint>.Empty),
            new OrMapMerkleReqBucketMessage(closed, "a"),
            new OrMapDiffRequestMessage(closed, ["k"]),
            new OrMapPushDiffMessage(publicMap, [new OrMapEntry("k", [OrRecord(Value.Of("x"))], [])]),
            new QuerySubMessage("q", closed, Value.Map()),
        };
        foreach (var message in denials)
        {
            await alice.SendAsync(message);
            ErrorMessage error;
            try
            {
                error = await alice.ExpectEventuallyAsync<ErrorMessage>();
            }
            catch (OperationCanceledException)
            {
                throw new Xunit.Sdk.XunitException($"{message.Type}: no ERROR arrived, so the message was not denied");
            }
            Assert.True(error.Code == 403, $"{message.Type}: expected 403, got {error.Code} {error.Message}");
        }
    }

    [Fact]
    public async Task A_batch_applies_permitted_ops_and_reports_denied_ones_per_op_and_with_error_403()
    {
        var append = "append-" + Guid.NewGuid().ToString("N")[..8];
        await using var alice = await Connect("alice");

        await alice.SendAsync(new OpBatchMessage(new[]
        {
            new ClientOp(append, "a", Id: Id(), Record: Put(Value.Of(1))),
            new ClientOp("closed-map", "b", Id: Id(), Record: Put(Value.Of(2))),
            new ClientOp(append, "a", Id: Id(), OpType: "REMOVE"),
            new ClientOp(append, "c", Id: Id(), Record: LwwRecord.Tombstone(_clock.Now())),
            new ClientOp("notes-alice", "d", Id: Id(), Record: Put(Value.Of(4))),
        }));

        OpAckMessage? ack = null;
        ErrorMessage? error = null;
        while (ack is null || error is null)
        {
            switch (await alice.NextAsync())
            {
                case OpAckMessage a: ack = a; break;
                case ErrorMessage e: error = e; break;
                case null: throw new Xunit.Sdk.XunitException("closed");
            }
        }
        Assert.Equal((403, "Partial batch failure: 3 ops denied"), (error.Code, error.Message));
        Assert.Equal([true, false, false, false, true], ack.Results!.AsSpan().ToArray().Select(r => r.Success));

        await alice.SendAsync(new QuerySubMessage("check", append, Value.Map()));
        var resp = await alice.ExpectEventuallyAsync<QueryRespMessage>();
        Assert.Equal(["a"], resp.Results.AsSpan().ToArray().Select(r => r.Key));
    }

    [Fact]
    public async Task User_id_maps_are_private_to_their_user()
    {
        await using var alice = await Connect("alice");
        await using var bob = await Connect("bob");
        await alice.SendAsync(new ClientOpMessage(new ClientOp("notes-alice", "diary", Id: "a1", Record: Put(Value.Of("dear diary")))));
        Assert.Equal("a1", (await alice.ExpectEventuallyAsync<OpAckMessage>()).LastId);

        await bob.SendAsync(new QuerySubMessage("peek", "notes-alice", Value.Map()));
        Assert.Equal(403, (await bob.ExpectEventuallyAsync<ErrorMessage>()).Code);
        await bob.SendAsync(new SyncInitMessage("notes-alice", 0));
        Assert.Equal(403, (await bob.ExpectEventuallyAsync<ErrorMessage>()).Code);
        await bob.SendAsync(new ClientOpMessage(new ClientOp("notes-alice", "diary", Id: "b1", Record: Put(Value.Of("defaced")))));
        Assert.Equal(403, (await bob.ExpectEventuallyAsync<OpRejectedMessage>()).Code);
        await bob.SendAsync(new ClientOpMessage(new ClientOp("notes-bob", "diary", Id: "b2", Record: Put(Value.Of("mine")))));
        Assert.Equal("b2", (await bob.ExpectEventuallyAsync<OpAckMessage>()).LastId);

        await alice.SendAsync(new QuerySubMessage("mine", "notes-alice", Value.Map()));
        var resp = await alice.ExpectEventuallyAsync<QueryRespMessage>();
        Assert.Equal(Value.Of("dear diary"), resp.Results.AsSpan().ToArray().Single(r => r.Key == "diary").Value);
    }

    [Fact]
    public async Task Field_level_security_strips_hidden_fields_on_queries_events_and_lww_sync()
    {
        var map = "public-" + Guid.NewGuid().ToString("N")[..8];
        await using var admin = await Connect("root", "ADMIN");
        await using var alice = await Connect("alice");
        await AdminWrite(admin, map, ("t1", Todo("milk")));

        var resp = await Subscribe(alice, "q", map, Value.Map());
        Assert.Equal(Visible("milk"), resp.Results.AsSpan().ToArray().Single().Value);

        await AdminWrite(admin, map, ("t2", Todo("eggs")));
        var serverEvent = await alice.ExpectEventuallyAsync<ServerEventMessage>();
        Assert.Equal(Visible("eggs"), serverEvent.Payload.Record!.Value);
        var update = await alice.ExpectEventuallyAsync<QueryUpdateMessage>();
        Assert.Equal(Visible("eggs"), update.Value);

        var (k1, k2) = TwoKeysInOnePartition();
        await AdminWrite(admin, map, (k1, Todo("bread")), (k2, Todo("jam")));
        var batchEvent = await alice.ExpectEventuallyAsync<ServerBatchEventMessage>();
        Assert.All(batchEvent.Events.AsSpan().ToArray(), e => Assert.False(((MapValue)e.Record!.Value).TryGet("secret", out _)));
        Assert.Equal(2, batchEvent.Events.Count);

        var leaves = await PullLwwLeaves(alice, map);
        Assert.Equal(4, leaves.Count);
        Assert.All(leaves, r => Assert.False(((MapValue)r.Record.Value).TryGet("secret", out _)));
        Assert.All(leaves, r => Assert.True(((MapValue)r.Record.Value).TryGet("title", out _)));

        await alice.SendAsync(new QuerySubMessage("probe", map, Value.Map(("where", Value.Map(("secret", Secret))))));
        Assert.Equal(403, (await alice.ExpectEventuallyAsync<ErrorMessage>()).Code);
        await alice.SendAsync(new QuerySubMessage("probe-sort", map, Value.Map(("sort", Value.Map(("secret", Value.Of("asc")))))));
        Assert.Equal(403, (await alice.ExpectEventuallyAsync<ErrorMessage>()).Code);
    }

    [Fact]
    public async Task Field_level_security_strips_hidden_fields_on_or_map_leaves_diffs_and_events()
    {
        var map = "public-or-" + Guid.NewGuid().ToString("N")[..8];
        await using var admin = await Connect("root", "ADMIN");
        await using var alice = await Connect("alice");
        await admin.SendAsync(new ClientOpMessage(new ClientOp(map, "list", Id: Id(), OpType: "OR_ADD", OrRecord: OrRecord(Todo("milk")))));
        await admin.ExpectEventuallyAsync<OpAckMessage>();

        await alice.SendAsync(new OrMapSyncInitMessage(map, 0, WireMap<uint>.Empty));
        await alice.ExpectEventuallyAsync<OrMapSyncRespRootMessage>();
        var leafRecords = new List<OrMapRecord>();
        var pending = new Queue<string>([""]);
        while (pending.TryDequeue(out var path))
        {
            await alice.SendAsync(new OrMapMerkleReqBucketMessage(map, path));
            switch (await alice.NextAsync())
            {
                case OrMapSyncRespBucketsMessage buckets:
                    foreach (var (child, _) in buckets.Buckets) pending.Enqueue(path + child);
                    break;
                case OrMapSyncRespLeafMessage leaf:
                    leafRecords.AddRange(leaf.Entries.AsSpan().ToArray().SelectMany(e => e.Records.AsSpan().ToArray()));
                    break;
                case var other:
                    throw new Xunit.Sdk.XunitException("Unexpected reply during OR sync: " + other);
            }
        }
        Assert.Equal([Visible("milk")], leafRecords.Select(r => r.Value));

        await alice.SendAsync(new OrMapDiffRequestMessage(map, ["list"]));
        var diff = await alice.ExpectEventuallyAsync<OrMapDiffResponseMessage>();
        Assert.Equal(Visible("milk"), diff.Entries.AsSpan().ToArray().Single().Records.AsSpan().ToArray().Single().Value);

        await Subscribe(alice, "or-q", map, Value.Map());
        await admin.SendAsync(new ClientOpMessage(new ClientOp(map, "list", Id: Id(), OpType: "OR_ADD", OrRecord: OrRecord(Todo("eggs")))));
        var added = await alice.ExpectEventuallyAsync<ServerEventMessage>();
        Assert.Equal(("OR_ADD", Visible("eggs")), (added.Payload.EventType, added.Payload.OrRecord!.Value));
        var update = await alice.ExpectEventuallyAsync<QueryUpdateMessage>();
        Assert.Equal(Value.Array(Visible("milk"), Visible("eggs")), update.Value);
    }

    private async Task<ProtocolClient> Connect(string user, params string[] roles) =>
        await ProtocolClient.ConnectAndAuthenticateAsync(fixture.Node.Address, TestTokens.WithRoles(user, roles.Length == 0 ? ["USER"] : roles));

    private string Id() => Interlocked.Increment(ref _opId).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private LwwRecord Put(Value value) => new(value, _clock.Now());

    private OrMapRecord OrRecord(Value value)
    {
        var ts = _clock.Now();
        return new OrMapRecord(value, ts, ts.ToString());
    }

    private async Task AdminWrite(ProtocolClient admin, string map, params (string Key, Value Value)[] records)
    {
        var ops = records.Select(r => new ClientOp(map, r.Key, Id: Id(), Record: Put(r.Value))).ToArray();
        await admin.SendAsync(new OpBatchMessage(ops));
        await admin.ExpectEventuallyAsync<OpAckMessage>(a => a.LastId == ops[^1].Id);
    }

    private static async Task<QueryRespMessage> Subscribe(ProtocolClient client, string queryId, string map, Value query)
    {
        await client.SendAsync(new QuerySubMessage(queryId, map, query));
        return await client.ExpectEventuallyAsync<QueryRespMessage>(r => r.QueryId == queryId);
    }

    internal static async Task<List<SyncLeafRecord>> PullLwwLeaves(ProtocolClient client, string map)
    {
        await client.SendAsync(new SyncInitMessage(map, 0));
        await client.ExpectEventuallyAsync<SyncRespRootMessage>(r => r.MapName == map);
        var records = new List<SyncLeafRecord>();
        var pending = new Queue<string>([""]);
        while (pending.TryDequeue(out var path))
        {
            await client.SendAsync(new MerkleReqBucketMessage(map, path));
            var reply = await client.ExpectEventuallyAsync<Message>(m =>
                m is SyncRespBucketsMessage b && b.MapName == map && b.Path == path || m is SyncRespLeafMessage l && l.MapName == map && l.Path == path);
            if (reply is SyncRespBucketsMessage buckets)
                foreach (var (child, _) in buckets.Buckets) pending.Enqueue(path + child);
            else
                records.AddRange(((SyncRespLeafMessage)reply).Records.AsSpan().ToArray());
        }
        return records;
    }

    private static (string, string) TwoKeysInOnePartition()
    {
        var first = "k-" + Guid.NewGuid().ToString("N")[..6];
        for (var i = 0; ; i++)
        {
            var candidate = first + "-" + i;
            if (PartitionKey.Of(candidate, 16) == PartitionKey.Of(first, 16)) return (first, candidate);
        }
    }

    private static Value Todo(string title) =>
        Value.Map(("title", Value.Of(title)), ("done", Value.False), ("secret", Secret));

    private static Value Visible(string title) => Value.Map(("title", Value.Of(title)), ("done", Value.False));
}

/// <summary>What a node does when policies are left unset, or configured as an empty list.</summary>
public sealed class DefaultPolicyTests
{
    [Fact]
    public async Task Without_policies_the_node_logs_the_default_policy_and_keeps_system_maps_admin_only()
    {
        var log = new CapturedLog();
        await using var node = await GatewayNode.StartAsync(services: s => s.AddSingleton<ILoggerProvider>(log));
        await using var alice = await ProtocolClient.ConnectAndAuthenticateAsync(node.Address, TestTokens.Valid("alice"));

        Assert.Contains(log.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("default policy USER * ALL", StringComparison.Ordinal));
        await alice.SendAsync(new QuerySubMessage("sys", "$sys/connections", Value.Map()));
        Assert.Equal(403, (await alice.ExpectEventuallyAsync<ErrorMessage>()).Code);
        await alice.SendAsync(new QuerySubMessage("any", "todos", Value.Map()));
        await alice.ExpectEventuallyAsync<QueryRespMessage>();
    }

    [Fact]
    public async Task An_empty_policy_list_lets_only_admin_act()
    {
        var log = new CapturedLog();
        await using var node = await GatewayNode.StartAsync("topgun.security.policies = []", s => s.AddSingleton<ILoggerProvider>(log));
        await using var alice = await ProtocolClient.ConnectAndAuthenticateAsync(node.Address, TestTokens.Valid("alice"));
        await using var admin = await ProtocolClient.ConnectAndAuthenticateAsync(node.Address, TestTokens.WithRoles("root", "ADMIN"));
        var clock = new Hlc("client-e");

        await alice.SendAsync(new ClientOpMessage(new ClientOp("todos", "k", Id: "1", Record: new LwwRecord(Value.Of(1), clock.Now()))));
        Assert.Equal(403, (await alice.ExpectEventuallyAsync<OpRejectedMessage>()).Code);
        await admin.SendAsync(new ClientOpMessage(new ClientOp("todos", "k", Id: "2", Record: new LwwRecord(Value.Of(2), clock.Now()))));
        Assert.Equal("2", (await admin.ExpectEventuallyAsync<OpAckMessage>()).LastId);
        Assert.Contains(log.Lines, l => l.Message.Contains("only ADMIN may act", StringComparison.Ordinal));
    }
}
