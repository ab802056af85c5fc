using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Protocol;
using TopGun.Core.Values;

namespace TopGun.Core.Tests.Protocol;

/// <summary>One realistic instance of every message type, shared by round-trip and cross-check tests.</summary>
internal static class MessageSamples
{
    public static readonly Timestamp Ts = new(1700000000123, 2, "node-a");
    public static readonly Timestamp Ts2 = new(1700000000456, 0, "client-1");

    public static Value Todo(string title, bool done) => Value.Map(("title", title), ("done", done), ("priority", 3));

    public static readonly LwwRecord Record = new(Todo("buy milk", false), Ts);
    public static readonly LwwRecord TtlRecord = new(Value.Of("temp"), Ts2, 60000);
    public static readonly OrMapRecord OrRecord = new(Value.Of("tag-a"), Ts, Ts.ToString());

    public static IReadOnlyList<Message> All { get; } =
    [
        new AuthRequiredMessage(),
        new AuthMessage("eyJhbGciOiJIUzI1NiJ9.e30.sig"),
        new AuthAckMessage(),
        new AuthFailMessage("Invalid token"),
        new PingMessage(1700000000123),
        new PongMessage(1700000000123, 1700000000130),
        new ErrorMessage(400, "Invalid message format", Value.Map(("field", "payload.ops"))),
        new ShutdownPendingMessage(5000),
        new GcPruneMessage(Ts),
        new ClientOpMessage(new ClientOp("todos", "t1", Id: "op-1", Record: Record, WriteConcern: WriteConcern.Persisted, Timeout: 5000)),
        new OpBatchMessage(
        [
            new ClientOp("todos", "t1", Id: "op-1", Record: Record),
            new ClientOp("todos", "t2", Id: "op-2", OpType: "REMOVE", Record: LwwRecord.Tombstone(Ts2)),
            new ClientOp("tags", "k", Id: "op-3", OpType: "OR_ADD", OrRecord: OrRecord),
            new ClientOp("tags", "k", Id: "op-4", OpType: "OR_REMOVE", OrTag: Ts.ToString()),
            new ClientOp("cache", "c", Id: "op-5", Record: TtlRecord),
        ], WriteConcern.Applied, 3000),
        new OpAckMessage("op-5", WriteConcern.Persisted, [new OpResult("op-1", true, WriteConcern.Persisted), new OpResult("op-2", false, WriteConcern.Memory, "Access Denied")]),
        new OpRejectedMessage("op-9", "Access Denied", 403),
        new ServerEventMessage(new ServerEventPayload("todos", "t1", "UPDATED", Record: Record), Ts),
        new ServerBatchEventMessage([new ServerEventPayload("tags", "k", "OR_ADD", OrRecord: OrRecord), new ServerEventPayload("tags", "k", "OR_REMOVE", OrTag: Ts.ToString())], Ts2),
        new MergeRejectedMessage("todos", "t1", Todo("x", true), "IMMUTABLE", Ts),
        new SyncInitMessage("todos", 1700000000000),
        new SyncRespRootMessage("todos", 4115888500, Ts),
        new MerkleReqBucketMessage("todos", "a"),
        new SyncRespBucketsMessage("todos", "", new WireMap<uint>([new("0", 12u), new("f", 4294967295u)])),
        new SyncRespLeafMessage("todos", "abc", [new SyncLeafRecord("t1", Record), new SyncLeafRecord("t2", LwwRecord.Tombstone(Ts2))]),
        new SyncResetRequiredMessage("todos"),
        new OrMapSyncInitMessage("tags", 3550467539, new WireMap<uint>([new("a", 1u)]), 1700000000000),
        new OrMapSyncRespRootMessage("tags", 7, Ts),
        new OrMapMerkleReqBucketMessage("tags", "1f"),
        new OrMapSyncRespBucketsMessage("tags", "1", new WireMap<uint>([new("2", 99u)])),
        new OrMapSyncRespLeafMessage("tags", "1f2", [new OrMapEntry("k", [OrRecord], ["1700000000000:0:node-b"])]),
        new OrMapDiffRequestMessage("tags", ["k", "j"]),
        new OrMapDiffResponseMessage("tags", [new OrMapEntry("k", [OrRecord], [])]),
        new OrMapPushDiffMessage("tags", [new OrMapEntry("j", [], ["1700000000000:1:node-c"])]),
        new QuerySubMessage("q1", "todos", Value.Map(("where", Value.Map(("done", false))), ("sort", Value.Map(("priority", "desc"))), ("limit", 10))),
        new QueryUnsubMessage("q1"),
        new QueryRespMessage("q1", [new QueryResultItem("t1", Todo("a", false)), new QueryResultItem("t2", Todo("b", true), Ts)], "Y3Vyc29y", true, "valid"),
        new QueryUpdateMessage("q1", "t1", Value.Null, "REMOVE"),
        new TopicSubMessage("chat/room-1"),
        new TopicUnsubMessage("chat/room-1"),
        new TopicPubMessage("chat/room-1", Value.Map(("text", "héllo ✓"), ("n", -7.25))),
        new TopicMessageMessage("chat/room-1", Value.Map(("text", "hi")), 1700000000999, "client-1"),
        new LockRequestMessage("r1", "job-lock", 10000),
        new LockGrantedMessage("r1", "job-lock", 42),
        new LockReleaseMessage("job-lock", 42, "r2"),
        new LockReleasedMessage("r2", "job-lock", true),
        new CounterRequestMessage("likes"),
        new CounterResponseMessage("likes", new CounterStatePayload(new WireMap<double>([new("node-a", 5)]), new WireMap<double>([new("node-b", 2)]))),
        new CounterUpdateMessage("likes", new CounterStatePayload(new WireMap<double>([new("node-a", 6)]), WireMap<double>.Empty)),
        new CounterSyncMessage("likes", new CounterStatePayload(new WireMap<double>([new("client-1", 1)]), WireMap<double>.Empty)),
        new EntryProcessMessage("e1", "counters", "c1", new EntryProcessorSpec("increment", null, Value.Map(("by", 2)))),
        new EntryProcessBatchMessage("e2", "counters", ["c1", "c2"], new EntryProcessorSpec("decrement", "return value - 1")),
        new EntryProcessResponseMessage("e1", new EntryProcessResult(true, Value.Of(3), Value.Of(3))),
        new EntryProcessBatchResponseMessage("e2", new WireMap<EntryProcessResult>([new("c1", new EntryProcessResult(true, NewValue: Value.Of(1))), new("c2", new EntryProcessResult(false, Error: "not a number"))])),
        new JournalSubscribeMessage("j1", "41", "todos", ["PUT", "DELETE"]),
        new JournalUnsubscribeMessage("j1"),
        new JournalEventMessage(new JournalEventData("42", "UPDATE", "todos", "t1", Ts, "node-a", Todo("n", true), Todo("o", false), Value.Map(("userId", "u1")))),
        new JournalReadMessage("j2", "0", 100, "todos"),
        new JournalReadResponseMessage("j2", [new JournalEventData("1", "DELETE", "todos", "t2", Ts2, "node-b")], false),
        new RegisterResolverMessage("rr1", "todos", new ResolverSpec("NUMERIC_MAX", null, 50, "score:*")),
        new UnregisterResolverMessage("rr2", "todos", "NUMERIC_MAX"),
        new RegisterResolverResponseMessage("rr1", true),
        new UnregisterResolverResponseMessage("rr2", false, "not found"),
        new ListResolversMessage("rr3", "todos"),
        new ListResolversResponseMessage("rr3", [new ResolverInfo("todos", "NUMERIC_MAX", 50, "score:*"), new ResolverInfo("docs", "LWW")]),
        new SearchMessage("s1", "docs", "green tea", new SearchOptions(10, 0.5, new WireMap<double>([new("title", 2)]))),
        new SearchRespMessage("s1", [new SearchHit("d1", Value.Map(("title", "Green tea")), 1.75, ["green", "tea"])], 1),
        new SearchSubMessage("sub-1", "docs", "tea"),
        new SearchUpdateMessage("sub-1", "d2", Value.Map(("title", "Tea")), 0.9, ["tea"], "ENTER"),
        new SearchUnsubMessage("sub-1"),
        new PartitionMapRequestMessage(3),
        new PartitionMapMessage(4, 271, [new PartitionNodeInfo("node-a", "ws://10.0.0.1:8080", "ACTIVE")], [new PartitionInfo(0, "node-a", ["node-b"])], 1700000000777),
        new BatchMessage([new PingMessage(1), new AuthAckMessage()]),
    ];
}
