using System.Collections.Concurrent;
using System.Net.WebSockets;
using Akka.Actor;
using Akka.Event;
using System.Text;
using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Protocol;
using TopGun.Core.Values;
using TopGun.Server.Tests.Protocol;

namespace TopGun.Server.Tests.Gateway;

/// <summary>
/// Hostile connections send 10,000 random and mutated frames while a well-behaved client keeps writing and
/// syncing a map they may write too (and hit, on the good client's own keys): the node survives, every write the
/// good client got acknowledged is there or superseded by a newer one, and the node's memory stays bounded.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class HostileClientFuzzTests
{
    private const int HostileFrames = 10_000;
    private const int HostileConnections = 4;
    private const int Seed = 20261127;
    private const string SharedMap = "open-shared";

    private const string Policies = """
        topgun.security.policies = [
          { role = "USER", map = "vault-{userId}", actions = ["ALL"] },
          { role = "USER", map = "open*", actions = ["ALL"] }
        ]
        """;

    [Fact]
    public async Task Random_and_mutated_frames_never_crash_the_node_or_lose_an_acknowledged_write()
    {
        await using var node = await GatewayNode.StartAsync(Policies);
        var errors = new ConcurrentQueue<string>();
        var listener = node.System.ActorOf(Props.Create(() => new ErrorListener(errors)));
        node.System.EventStream.Subscribe(listener, typeof(Error));
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        using var stop = new CancellationTokenSource();
        // The good client's first batch fixes the shared map's type (LWW) before any hostile OR op can.
        using var started = new SemaphoreSlim(0);

        var good = Task.Run(() => GoodClientAsync(node.Address, started, stop.Token));
        Assert.True(await started.WaitAsync(TimeSpan.FromSeconds(30)), "The good client's first batch was never acknowledged");
        var hostile = Enumerable.Range(0, HostileConnections)
            .Select(i => Task.Run(() => HostileAsync(node.Address, new Random(Seed + i), HostileFrames / HostileConnections)))
            .ToArray();

        var stats = await Task.WhenAll(hostile);
        stop.Cancel();
        // The frames really went through handling: both rejected-and-kept (400/403) and dropped (new connections) paths.
        Assert.Contains(stats, s => s.Errors.Contains(400));
        Assert.Contains(stats, s => s.Errors.Contains(403));
        Assert.True(stats.Sum(s => s.Connections) > HostileConnections * 10, $"Only {stats.Sum(s => s.Connections)} hostile connections were needed");
        var (client, acked) = await good;
        await using (client)
        {
            Assert.True(acked.Count > 0, "The good client got no write acknowledged");
            var leaves = await AccessControlEndToEndTests.PullLwwLeaves(client, SharedMap);
            var server = leaves.ToDictionary(r => r.Key, r => r.Record);
            // Hostile writes really landed on the shared map, so they could have hurt the good client's records.
            Assert.Contains(leaves, r => !r.Key.StartsWith("note-", StringComparison.Ordinal));
            var kept = 0;
            foreach (var (key, record) in acked)
            {
                // Under LWW an acknowledged write may only give way to a strictly newer one.
                Assert.True(server.TryGetValue(key, out var held), $"Acknowledged write {key}={record.Value} is missing (seed {Seed})");
                Assert.True(held.Timestamp > record.Timestamp || (held.Timestamp == record.Timestamp && held.Value.Equals(record.Value)),
                    $"Acknowledged write {key}={record.Value}@{record.Timestamp} was replaced by the older or different {held.Value}@{held.Timestamp} (seed {Seed})");
                if (held.Timestamp == record.Timestamp) kept++;
            }
            Assert.True(kept > 0, "No acknowledged write of the good client survived as written");
        }

        // An exception inside a connection actor would be logged as an Error and the actor restarted with its state lost.
        Assert.True(errors.IsEmpty, "Errors were logged during the fuzz run:\n" + string.Join("\n", errors.Take(5)));
        await using var fresh = await ProtocolClient.ConnectAndAuthenticateAsync(node.Address, TestTokens.Valid("late"));
        await fresh.SendAsync(new PingMessage(7));
        Assert.Equal(7, (await fresh.ExpectEventuallyAsync<PongMessage>()).Timestamp);
        var retained = GC.GetTotalMemory(forceFullCollection: true) - baseline;
        Assert.True(retained < 256L * 1024 * 1024, $"The node retained {retained / (1024 * 1024)} MiB after the fuzz run");
    }

    private sealed class ErrorListener : ReceiveActor
    {
        public ErrorListener(ConcurrentQueue<string> errors) => Receive<Error>(e => errors.Enqueue($"{e.LogSource}: {e.Message} {e.Cause}"));
    }

    /// <summary>
    /// Sends <paramref name="frames"/> hostile frames, each followed by a PING whose PONG (or the server's close)
    /// is awaited, so every frame is really handled by a live connection instead of piling up in a closed one.
    /// </summary>
    private static async Task<HostileStats> HostileAsync(Uri address, Random random, int frames)
    {
        var stats = new HostileStats();
        ProtocolClient? client = null;
        try
        {
            for (var sent = 0; sent < frames; sent++)
            {
                var (bytes, type) = HostileFrame(random);
                try
                {
                    if (client is null || client.State != WebSocketState.Open)
                    {
                        if (client is not null) await client.DisposeAsync();
                        client = await ProtocolClient.ConnectAsync(address);
                        stats.Connections++;
                        // Mostly authenticated, so frames reach the deeper handlers; sometimes not, to hit the auth gate.
                        if (random.NextDouble() < 0.9) await client.SendAsync(new AuthMessage(TestTokens.Valid("mallory")));
                    }
                    await client.SendRawAsync(bytes, type);
                    await client.SendAsync(new PingMessage(1_000_000 + sent));
                    while (await client.NextAsync() is { } reply)
                    {
                        if (reply is ErrorMessage error) stats.Errors.Add(error.Code);
                        if (reply is PongMessage pong && pong.Timestamp == 1_000_000 + sent) break;
                    }
                }
                catch (Exception e) when (e is WebSocketException or InvalidOperationException or ObjectDisposedException
                    or TimeoutException or OperationCanceledException or IOException)
                {
                    // The server closed this connection (as it should for garbage); the next frame goes on a new one.
                }
            }
        }
        finally
        {
            if (client is not null) await client.DisposeAsync();
        }
        return stats;
    }

    private sealed class HostileStats
    {
        public int Connections { get; set; }
        public HashSet<int> Errors { get; } = [];
    }

    private static async Task<(ProtocolClient Client, Dictionary<string, LwwRecord> Acked)> GoodClientAsync(Uri address, SemaphoreSlim started, CancellationToken stop)
    {
        var clock = new Hlc("client-good");
        var client = await ProtocolClient.ConnectAndAuthenticateAsync(address, TestTokens.Valid("good"));
        var acked = new Dictionary<string, LwwRecord>(StringComparer.Ordinal);
        var round = 0;
        // Every key is written once, so a hostile write that replaced it cannot be hidden by a later good write.
        while (!stop.IsCancellationRequested || round < 20)
        {
            var ops = Enumerable.Range(0, 10)
                .Select(i => new ClientOp(SharedMap, "note-" + (round * 10 + i), Id: $"{round}-{i}",
                    Record: new LwwRecord(Value.Map(("round", Value.Of(round)), ("i", Value.Of(i))), clock.Now())))
                .ToArray();
            await client.SendAsync(new OpBatchMessage(ops, WriteConcern.Persisted));
            var ack = await client.ExpectEventuallyAsync<OpAckMessage>(a => a.LastId == ops[^1].Id);
            foreach (var result in ack.Results!.AsSpan().ToArray())
            {
                if (!result.Success) continue;
                var op = ops.Single(o => o.Id == result.OpId);
                acked[op.Key] = op.Record!;
            }
            if (round == 0) started.Release();
            if (round % 5 == 0)
            {
                await client.SendAsync(new SyncInitMessage(SharedMap, 0));
                await client.ExpectEventuallyAsync<SyncRespRootMessage>();
            }
            round++;
        }
        return (client, acked);
    }

    private static (byte[] Bytes, WebSocketMessageType Type) HostileFrame(Random random)
    {
        var roll = random.NextDouble();
        if (roll < 0.1)
        {
            var garbage = new byte[random.Next(1, 512)];
            random.NextBytes(garbage);
            return (garbage, WebSocketMessageType.Binary);
        }
        if (roll < 0.2)
        {
            var json = Encoding.UTF8.GetBytes(JsonTemplates[random.Next(JsonTemplates.Length)]);
            if (random.NextDouble() < 0.7) json = Mutate(json, random);
            return (json, WebSocketMessageType.Text);
        }
        var frame = WireCodec.Encode(Template(random));
        return (random.NextDouble() < 0.7 ? Mutate(frame, random) : frame, WebSocketMessageType.Binary);
    }

    private static byte[] Mutate(byte[] frame, Random random)
    {
        var bytes = new List<byte>(frame);
        var edits = random.Next(1, 5);
        for (var e = 0; e < edits && bytes.Count > 0; e++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0: bytes[at] = (byte)random.Next(256); break;
                case 1: bytes.RemoveRange(at, bytes.Count - at); break;
                case 2: bytes.Insert(at, (byte)random.Next(256)); break;
                default: bytes.RemoveAt(at); break;
            }
        }
        return bytes.Count == 0 ? [0xC1] : bytes.ToArray();
    }

    private static readonly string[] JsonTemplates =
    [
        """{"type":"PING","timestamp":1}""",
        """{"type":"CLIENT_OP","payload":{"mapName":"open-json","key":"k","record":{"value":{"a":1},"timestamp":{"millis":1700000000000,"counter":0,"nodeId":"j"}}}}""",
        """{"type":"QUERY_SUB","payload":{"queryId":"j","mapName":"open-json","query":{"where":{"a":{"$gt":0}},"limit":5}}}""",
        """{"type":"SYNC_INIT","mapName":"open-json","lastSyncTimestamp":0}""",
    ];

    // The shared map three times over: hostile frames hit the good client's map (and keys) as often as all the rest.
    private static readonly string[] MapNames = [SharedMap, SharedMap, SharedMap, "open-a", "vault-good", "vault-mallory", "$sys/x", "other", ""];

    private static Message Template(Random random)
    {
        var clock = new Timestamp(1_700_000_000_000 + random.Next(1_000_000), random.Next(5), "m" + random.Next(3));
        var map = MapNames[random.Next(MapNames.Length)];
        var key = random.Next(2) == 0 ? "note-" + random.Next(300) : "k" + random.Next(50);
        Value RandomValue() => random.Next(4) switch
        {
            0 => Value.Of(random.Next(100)),
            1 => Value.Of("s" + random.Next(100)),
            2 => Value.Map(("a", Value.Of(random.Next(10))), ("b", Value.Of(random.Next(2) == 0))),
            _ => Value.Null,
        };
        ClientOp Op() => random.Next(4) switch
        {
            0 => new ClientOp(map, key, Id: "h" + random.Next(), Record: new LwwRecord(RandomValue(), clock, random.Next(4) == 0 ? random.Next(1, 1000) : null)),
            1 => new ClientOp(map, key, Id: "h" + random.Next(), OpType: "REMOVE"),
            2 => new ClientOp(map, key, Id: "h" + random.Next(), OpType: "OR_ADD", OrRecord: new OrMapRecord(RandomValue(), clock, clock.ToString())),
            _ => new ClientOp(map, key, Id: "h" + random.Next(), OpType: "OR_REMOVE", OrTag: clock.ToString()),
        };
        Value Predicate(int depth) => depth > 2 || random.Next(3) == 0
            ? Value.Map(("op", Value.Of(new[] { "eq", "neq", "gt", "lte", "like", "regex", "contains", "containsAny" }[random.Next(8)])),
                ("attribute", Value.Of(random.Next(2) == 0 ? "a" : "_key")), ("value", random.Next(2) == 0 ? RandomValue() : Value.Array(Value.Of("%"), Value.Of(1))))
            : Value.Map(("op", Value.Of(new[] { "and", "or", "not" }[random.Next(3)])), ("children", Value.Array(Predicate(depth + 1), Predicate(depth + 1))));

        return random.Next(14) switch
        {
            0 => new PingMessage(random.Next()),
            1 => new ClientOpMessage(Op()),
            2 => new OpBatchMessage(Enumerable.Range(0, random.Next(1, 20)).Select(_ => Op()).ToArray()),
            3 => new SyncInitMessage(map, random.Next(3) == 0 ? 1 : 0),
            4 => new MerkleReqBucketMessage(map, new string("0123456789abcdefg"[random.Next(17)], random.Next(5))),
            5 => new OrMapSyncInitMessage(map, (uint)random.Next(), WireMap<uint>.Empty),
            6 => new OrMapMerkleReqBucketMessage(map, random.Next(16).ToString("x")),
            7 => new OrMapDiffRequestMessage(map, [key, "", key]),
            8 => new OrMapPushDiffMessage(map, [new OrMapEntry(key, [new OrMapRecord(RandomValue(), clock, clock.ToString())], ["1:0:x"])]),
            9 => new QuerySubMessage("q" + random.Next(5), map, Value.Map(
                ("predicate", Predicate(0)), ("sort", Value.Map(("a", Value.Of(random.Next(2) == 0 ? "asc" : "desc")))),
                ("limit", Value.Of(random.Next(1, 20))), ("cursor", Value.Of(random.Next(2) == 0 ? "AQ" : "")))),
            10 => new QueryUnsubMessage("q" + random.Next(5)),
            11 => new TopicPubMessage("chat", RandomValue()),
            12 => new BatchMessage(new Message[] { new PingMessage(1), new ClientOpMessage(Op()) }),
            _ => new AuthMessage(random.Next(2) == 0 ? TestTokens.Valid("mallory") : "not-a-token"),
        };
    }
}
