using Akka.Cluster.Tools.PublishSubscribe;
using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Merkle;
using TopGun.Core.Protocol;
using TopGun.Core.Queries;
using TopGun.Core.Values;
using TopGun.Server.Configuration;
using TopGun.Server.Maps;
using TopGun.Server.Tests.Support;

namespace TopGun.Server.Tests.Maps;

/// <summary>
/// A partition written to, its ActorSystem terminated, a fresh one started on the same database:
/// the state comes back from snapshot + later events. Subclasses pick the storage.
/// </summary>
public abstract class PartitionRecoveryTests
{
    private const string Partition = "3";
    private static readonly IReadOnlyList<string> Keys = PartitionKeys.In(Partition, 6);

    protected abstract Task<NodeConfiguration> NodeAsync();

    private static Timestamp Now(int counter = 0) => new(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), counter, "client-a");

    [Fact]
    public async Task Lww_partition_recovers_records_ttl_and_tombstones_from_snapshot_and_later_events()
    {
        var node = await NodeAsync();
        uint root;
        IReadOnlyList<KeyValuePair<string, LwwRecord>> before;
        Timestamp lastIssued;
        await using (var first = await PartitionSystem.StartAsync(node, s => s.WithSnapshotEvery(3)))
        {
            var feed = first.Kit.CreateTestProbe();
            var partition = first.Partition("todos", Partition, feed.Ref);
            // 5 events: a snapshot after the third, two events after it.
            for (var i = 0; i < 5; i++)
            {
                var ts = Now(i);
                var record = i == 3 ? LwwRecord.Tombstone(ts) : new LwwRecord(Value.Of("v" + i), ts, i == 4 ? 3_600_000 : null);
                var reply = await first.AskAsync<OpsApplied>(partition,
                    new ApplyLwwOps(i, [new LwwOp("op" + i, Keys[i % 4], record)], WriteConcern.Persisted, "writer"));
                Assert.Equal(WriteConcern.Persisted, reply.Achieved);
                Assert.True(Assert.Single(reply.Outcomes).Success);
                var published = feed.ExpectMsg<Publish>();
                Assert.Equal("map:todos", published.Topic);
                Assert.Equal("writer", ((MapChanged)published.Message).OriginId);
            }
            root = (await first.AskAsync<PartitionRoot>(partition, new GetPartitionRoot(1))).Hash;
            before = await LeafRecordsAsync(first, partition);
            lastIssued = NodeClock.Get(first.System).Hlc.Now();

            // The snapshot after the third event holds neither the tombstone nor the TTL record (later events do);
            // deleting the events it covers leaves a full replay nothing to rebuild the first three records from.
            var persistenceId = PartitionKey.PersistenceId("todos", Partition);
            var snapshot = await StoredSnapshots.AwaitLatestAsync(first.System, persistenceId, 3);
            Assert.Equal(3, snapshot.Metadata.SequenceNr);
            var stored = Assert.IsType<LwwPartitionSnapshot>(snapshot.Snapshot);
            Assert.Equal(3, stored.Records.Count);
            Assert.DoesNotContain(stored.Records, r => r.Value.IsTombstone || r.Value.TtlMs is not null);
            StoredSnapshots.DeleteEventsUpTo(first.System, first.Kit, persistenceId, snapshot.Metadata.SequenceNr);
        }

        await using var second = await PartitionSystem.StartAsync(node, s => s.WithSnapshotEvery(3));
        var recovered = second.Partition("todos", Partition);
        var rootAfter = await second.AskAsync<PartitionRoot>(recovered, new GetPartitionRoot(2));

        Assert.Equal(root, rootAfter.Hash);
        Assert.Equal(MapKind.Lww, rootAfter.Kind);
        Assert.Equal(before.OrderBy(r => r.Key), (await LeafRecordsAsync(second, recovered)).OrderBy(r => r.Key));
        Assert.Contains(before, r => r.Value.IsTombstone);
        Assert.Contains(before, r => r.Value.TtlMs == 3_600_000);
        var live = await second.AskAsync<PartitionQueryResult>(recovered, new QueryPartition(3, QuerySpec.All, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        Assert.Equal(before.Count(r => !r.Value.IsTombstone), live.Candidates.Count);
        Assert.True(NodeClock.Get(second.System).Hlc.Now() > lastIssued);
    }

    [Fact]
    public async Task Or_partition_recovers_records_and_tombstones_from_snapshot_and_later_events()
    {
        var node = await NodeAsync();
        var milk = new OrMapRecord(Value.Of("milk"), Now(1), Now(1).ToString());
        var eggs = new OrMapRecord(Value.Of("eggs"), Now(2), Now(2).ToString());
        var pushedTombstone = new Timestamp(1, 0, "gone").ToString();
        uint root;
        await using (var first = await PartitionSystem.StartAsync(node, s => s.WithSnapshotEvery(2)))
        {
            var partition = first.Partition("lists", Partition);
            await first.AskAsync<OpsApplied>(partition, new ApplyOrOps(1, [new OrOp("a", Keys[0], milk, null), new OrOp("b", Keys[0], eggs, null)], WriteConcern.Persisted, "w"));
            await first.AskAsync<OpsApplied>(partition, new ApplyOrOps(2, [new OrOp("c", Keys[0], null, milk.Tag)], WriteConcern.Persisted, "w"));
            var merged = await first.AskAsync<OrEntriesMerged>(partition, new MergeOrEntries(3, [new OrEntry(Keys[1], [], [pushedTombstone])], "w"));
            Assert.Equal(1, merged.NewTombstones);
            root = (await first.AskAsync<PartitionRoot>(partition, new GetPartitionRoot(4))).Hash;

            // Snapshot after the second event (milk and eggs added, then milk removed); the pushed tombstone comes later.
            var persistenceId = PartitionKey.PersistenceId("lists", Partition);
            var snapshot = await StoredSnapshots.AwaitLatestAsync(first.System, persistenceId, 2);
            Assert.Equal(2, snapshot.Metadata.SequenceNr);
            Assert.DoesNotContain(Assert.IsType<OrPartitionSnapshot>(snapshot.Snapshot).Entries, e => e.Key == Keys[1]);
            StoredSnapshots.DeleteEventsUpTo(first.System, first.Kit, persistenceId, snapshot.Metadata.SequenceNr);
        }

        await using var second = await PartitionSystem.StartAsync(node, s => s.WithSnapshotEvery(2));
        var recovered = second.Partition("lists", Partition);
        var entries = await second.AskAsync<OrEntriesResult>(recovered, new GetOrEntries(5, [Keys[0], Keys[1]]));

        Assert.Equal(root, (await second.AskAsync<PartitionRoot>(recovered, new GetPartitionRoot(6))).Hash);
        Assert.Equal(eggs, Assert.Single(entries.Entries[0].Records));
        Assert.Equal([milk.Tag], entries.Entries[0].Tombstones);
        Assert.Equal([pushedTombstone], entries.Entries[1].Tombstones);
    }

    private static async Task<IReadOnlyList<KeyValuePair<string, LwwRecord>>> LeafRecordsAsync(PartitionSystem system, Akka.Actor.IActorRef partition)
    {
        var records = new List<KeyValuePair<string, LwwRecord>>();
        foreach (var path in Keys.Select(k => MerkleTree.PathOf(k)[..3]).Distinct())
            records.AddRange((await system.AskAsync<LwwLeaf>(partition, new GetMerkleNode(9, MapKind.Lww, path))).Records);
        return records;
    }
}
