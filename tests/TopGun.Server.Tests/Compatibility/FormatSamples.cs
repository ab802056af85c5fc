using Akka.Actor;
using System.Reflection;
using Akka.Streams;
using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Protocol;
using TopGun.Core.Queries;
using TopGun.Core.Values;
using TopGun.Server.Counters;
using TopGun.Server.Locks;
using TopGun.Server.Maps;
using TopGun.Server.Readiness;
using TopGun.Server.Replication;
using TopGun.Server.Topics;

namespace TopGun.Server.Tests.Compatibility;

/// <summary>
/// One representative, fully populated object per (serializer id, manifest): every optional field set in at least
/// one place, every variant of a union present. The fixture file of a manifest holds the bytes today's code wrote
/// for this object; a legacy manifest keeps its entry (with the object its reader now produces) forever.
/// </summary>
public static class FormatSamples
{
    /// <summary>Actor refs travel as serialized paths; a foreign address keeps the bytes independent of the test system.</summary>
    public const string ConnectionPath = "akka.tcp://topgun@10.1.2.3:4053/user/gateway/connection-7#1234567";
    public const string OtherConnectionPath = "akka.tcp://topgun@10.1.2.4:4053/user/gateway/connection-9#7654321";
    public const string OwnerPath = "akka.tcp://topgun@10.1.2.5:4053/system/sharding/map-partitions/3/m%7Cx%7Ca#42";
    public const string SourcePartnerPath = "akka.tcp://topgun@10.1.2.5:4053/user/StreamSupervisor-0/flow-1-0-sourceRef#99";
    public const string SinkPartnerPath = "akka.tcp://topgun@10.1.2.5:4053/user/StreamSupervisor-0/flow-1-1-sinkRef#100";

    private static readonly Timestamp Ts = new(1_700_000_000_123, 4, "node-a");
    private static readonly Timestamp Later = new(1_700_000_005_000, 0, "node-b");

    private static readonly Value RichValue = Value.Map(
        ("title", Value.Of("héllo \u2603")),
        ("n", Value.Of(1.5)),
        ("big", Value.Of(9_007_199_254_740_991d)),
        ("neg", Value.Of(-3)),
        ("flag", Value.Of(true)),
        ("off", Value.Of(false)),
        ("none", Value.Null),
        ("bytes", Value.Of(new byte[] { 0x00, 0x01, 0xfe, 0xff })),
        ("list", Value.Array(Value.Of("a"), Value.Of(2), Value.Null, Value.Map(("inner", Value.Of("x"))))),
        ("empty", Value.Map()));

    private static readonly LwwRecord LwwWithTtl = new(RichValue, Ts, 60_000);
    private static readonly LwwRecord LwwPlain = new(Value.Of("plain"), Later);
    private static readonly LwwRecord LwwTombstone = LwwRecord.Tombstone(Later);
    private static readonly OrMapRecord OrWithTtl = new(Value.Array(Value.Of("a"), Value.Null), Ts, Ts.ToString(), 30_000);
    private static readonly OrMapRecord OrPlain = new(Value.Of(7), Later, Later.ToString());

    private static readonly KeyValuePair<string, LwwRecord>[] LwwRecords =
        [new("k", LwwWithTtl), new("j", LwwPlain), new("t", LwwTombstone)];

    private static readonly OrEntry[] OrEntries =
    [
        new("k", [OrWithTtl, OrPlain], ["1699999999000:0:node-c", "1699999999001:2:node-d"]),
        new("gone", [], ["1699999998000:1:node-a"]),
    ];

    private static readonly PnCounterState Counter = new(
        [new("node-a", 3), new("node-b", 1e15), new("node-c", 9_007_199_254_740_991d)],
        [new("node-a", 1), new("node-c", 0.5)]);

    private static readonly LwwOp[] LwwOps = [new("op-1", "k", LwwWithTtl), new(null, "t", LwwTombstone)];
    private static readonly OrOp[] OrOps = [new("op-2", "k", OrWithTtl, null), new(null, "k", null, "1699999999000:0:node-c")];

    private static QuerySpec Query() => QuerySpec.Parse(Value.Map(
        ("where", Value.Map(("status", Value.Of("open")))),
        ("predicate", Value.Map(("op", Value.Of("and")), ("children", Value.Array(
            Value.Map(("op", Value.Of("gt")), ("attribute", Value.Of("n")), ("value", Value.Of(3))),
            Value.Map(("op", Value.Of("eq")), ("attribute", Value.Of("gone"))),
            Value.Map(("op", Value.Of("like")), ("attribute", Value.Of("title")), ("value", Value.Of("h%"))))))),
        ("sort", Value.Map(("n", Value.Of("desc")), ("title", Value.Of("asc")))),
        ("limit", Value.Of(5)),
        ("cursor", Value.Of("abc"))));

    /// <summary>Akka.Streams keeps its stream-ref constructors internal; a ref only needs its partner actor.</summary>
    private static T StreamRef<T>(string implementation, IActorRef partner) =>
        (T)typeof(ISourceRef<>).Assembly.GetType(implementation, throwOnError: true)!.MakeGenericType(typeof(IPartitionEvent)).GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
            .Single(c => c.GetParameters() is [{ ParameterType: var p }] && p == typeof(IActorRef))
            .Invoke([partner]);

    private static Dictionary<string, uint> Hashes(string prefix) =>
        new(StringComparer.Ordinal) { [prefix + "0"] = 0, [prefix + "a"] = 123_456, [prefix + "f"] = uint.MaxValue };

    /// <summary>Every sample, keyed by serializer id and the manifest its fixture was written under.</summary>
    public static IReadOnlyList<(int SerializerId, string Manifest, Func<ExtendedActorSystem, object> Create)> All { get; } =
    [
        // ---- 4711 infrastructure
        (4711, "infra.journal-probed.v1", _ => new JournalProbed("node-a", 1_700_000_000_123)),

        // ---- 4712 maps: persisted
        (4712, "map.lww-records-merged.v1", _ => new LwwRecordsMerged(LwwRecords, Ts)),
        (4712, "map.or-changes-merged.v1", _ => new OrChangesMerged(OrEntries, Ts)),
        (4712, "map.lww-tombstones-pruned.v1", _ => new LwwTombstonesPruned(Ts)),
        (4712, "map.or-tombstones-pruned.v1", _ => new OrTombstonesPruned(Later)),
        (4712, "map.lww-snapshot.v1", _ => new LwwPartitionSnapshot(LwwRecords, Later)),
        (4712, "map.or-snapshot.v1", _ => new OrPartitionSnapshot(OrEntries, Later)),
        (4712, "map.type-fixed.v1", _ => new MapTypeFixed("todos", MapKind.Or)),
        // ---- 4712 maps: node to node
        (4712, "map.envelope.v1", _ => new PartitionEnvelope("m|x", "a", new ApplyLwwOps(7, LwwOps, WriteConcern.Persisted, "client-1"))),
        (4712, "map.apply-lww-ops.v1", _ => new ApplyLwwOps(8, LwwOps, WriteConcern.Replicated, "client-1")),
        (4712, "map.apply-or-ops.v1", _ => new ApplyOrOps(9, OrOps, WriteConcern.Applied, "client-2")),
        (4712, "map.ops-applied.v1", _ => new OpsApplied(10, [OpOutcome.Ok("op-1"), OpOutcome.Ok(null), OpOutcome.Failed("op-3", "denied"), OpOutcome.Failed(null, "bad")], WriteConcern.Persisted)),
        (4712, "map.merge-or-entries.v1", _ => new MergeOrEntries(11, OrEntries, "client-3")),
        (4712, "map.or-entries-merged.v1", _ => new OrEntriesMerged(12, 3, 2)),
        (4712, "map.get-merkle-node.v1", _ => new GetMerkleNode(13, MapKind.Or, "a3")),
        (4712, "map.merkle-node-hashes.v1", _ => new MerkleNodeHashes(14, "a3", new Dictionary<char, uint> { ['0'] = 1, ['7'] = 0, ['f'] = uint.MaxValue })),
        (4712, "map.lww-leaf.v1", _ => new LwwLeaf(15, "a3f", LwwRecords)),
        (4712, "map.or-leaf.v1", _ => new OrLeaf(16, "a3f", OrEntries)),
        (4712, "map.get-partition-root.v1", _ => new GetPartitionRoot(17)),
        (4712, "map.partition-root.v1", _ => new PartitionRoot(18, "a", 0xdeadbeef, MapKind.Lww)),
        (4712, "map.get-or-entries.v1", _ => new GetOrEntries(19, ["k", "gone", "missing"])),
        (4712, "map.or-entries-result.v1", _ => new OrEntriesResult(20, OrEntries)),
        (4712, "map.query-partition.v1", _ => new QueryPartition(21, Query(), 1_700_000_000_999)),
        (4712, "map.partition-query-result.v1", _ => new PartitionQueryResult(22, [new QueryCandidate("k", RichValue, Ts), new QueryCandidate("j", Value.Of(1), null)])),
        (4712, "map.command-rejected.v1", _ => new PartitionCommandRejected(23, "map 'm' is an OR map")),
        (4712, "map.claim-type.v1", _ => new ClaimMapType("todos", MapKind.Lww)),
        (4712, "map.type-claimed.v1", _ => new MapTypeClaimed("todos", MapKind.Or)),
        (4712, "map.changed.v1", _ => new MapChanged("todos", "client-1", [new MapChange("k", LwwWithTtl, null, null), new MapChange("j", null, OrWithTtl, null), new MapChange("i", null, null, "1699999999000:0:node-c")], Ts)),

        // ---- 4713 replication (node to node)
        (4713, "replication.delta.v1", _ => new ReplicaDelta("m|x|a", 42, new OrChangesMerged(OrEntries, Ts))),
        (4713, "replication.delta-ack.v1", _ => new ReplicaDeltaAck("m|x|a", 42)),
        (4713, "replication.release.v1", _ => new ReplicaRelease("m|x|a")),
        (4713, "replication.no-replica.v1", _ => new NoReplica("m|x|a")),
        (4713, "replication.reconcile-with-owner.v1", s => new ReconcileWithOwner("m|x|a", s.Provider.ResolveActorRef(OwnerPath), true)),
        (4713, "replication.reconcile-finished.v1", _ => new ReconcileFinished("m|x|a", true, 17, 4)),
        (4713, "replication.reconcile-request.v1", _ => new ReconcileRequest(31, 0xcafebabe, Hashes(""))),
        (4713, "replication.reconcile-buckets.v1", _ => new ReconcileBuckets(32, ["a", "f"], Hashes("a"))),
        (4713, "replication.reconcile-descend.v1", _ => new ReconcileDescend(33, ["a3", "f0"], Hashes("a3"))),
        (4713, "replication.reconcile-digests.v1", _ => new ReconcileDigests(34, ["a3f", "f01"], Hashes("a3f0"))),
        (4713, "replication.reconcile-streams.v1", s => new ReconcileStreams(35,
            StreamRef<ISourceRef<IPartitionEvent>>("Akka.Streams.Implementation.StreamRef.SourceRefImpl`1", s.Provider.ResolveActorRef(SourcePartnerPath)),
            StreamRef<ISinkRef<IPartitionEvent>>("Akka.Streams.Implementation.StreamRef.SinkRefImpl`1", s.Provider.ResolveActorRef(SinkPartnerPath)),
            ["k", "j"])),
        (4713, "replication.get-roots.v1", _ => GetReplicaRoots.Instance),
        (4713, "replication.roots.v1", _ => new ReplicaRoots(Hashes("m|x|"))),

        // ---- 4714 topics (node to node)
        (4714, "topic.published.v1", _ => new TopicPublished("chat", RichValue, "client-1", 1_700_000_000_456)),

        // ---- 4715 locks: persisted
        (4715, "lock.waiter-queued.v1", s => new LockWaiterQueued(new LockWaiter(s.Provider.ResolveActorRef(ConnectionPath), "req-1", 30_000))),
        (4715, "lock.lease-granted.v1", s => new LockLeaseGranted(new LockLease(s.Provider.ResolveActorRef(ConnectionPath), "req-1", 41, 1_700_000_030_000))),
        (4715, "lock.lease-extended.v1", _ => new LockLeaseExtended(1_700_000_060_000)),
        (4715, "lock.lease-ended.v1", _ => new LockLeaseEnded(41)),
        (4715, "lock.client-left.v1", s => new LockClientLeft(s.Provider.ResolveActorRef(OtherConnectionPath))),
        (4715, "lock.snapshot.v1", s => new LockSnapshot(41,
            new LockLease(s.Provider.ResolveActorRef(ConnectionPath), "req-1", 41, 1_700_000_030_000),
            [new LockWaiter(s.Provider.ResolveActorRef(OtherConnectionPath), "req-2", 10_000), new LockWaiter(s.Provider.ResolveActorRef(ConnectionPath), "req-3", 5_000)])),
        // ---- 4715 locks: node to node
        (4715, "lock.acquire.v1", s => new AcquireLock("orders", "req-4", 15_000, s.Provider.ResolveActorRef(ConnectionPath))),
        (4715, "lock.release.v1", s => new ReleaseLock("orders", 41, 51, s.Provider.ResolveActorRef(ConnectionPath))),
        (4715, "lock.acquired.v1", _ => new LockAcquired("orders", "req-4", 42)),
        (4715, "lock.acquire-refused.v1", _ => new LockAcquireRefused("orders", "req-5", "too many waiters")),
        (4715, "lock.release-result.v1", _ => new LockReleaseResult("orders", 51, true)),

        // ---- 4716 counters: persisted
        (4716, "counter.merged.v1", _ => new CounterMerged(Counter)),
        (4716, "counter.snapshot.v1", _ => new CounterSnapshot(Counter)),
        // ---- 4716 counters: node to node
        (4716, "counter.envelope.v1", _ => new CounterEnvelope("likes", new SyncCounter(4, Counter))),
        (4716, "counter.get.v1", _ => new GetCounter(5)),
        (4716, "counter.sync.v1", _ => new SyncCounter(6, Counter)),
        (4716, "counter.read.v1", _ => new CounterRead("likes", 7, Counter)),
        (4716, "counter.synced.v1", _ => new CounterSynced("likes", 8, Counter)),
        (4716, "counter.changed.v1", _ => new CounterChanged("likes", Counter)),
        (4716, "counter.rejected.v1", _ => new CounterRejected("likes", 9, "too many entries")),
    ];
}
