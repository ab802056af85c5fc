using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Values;
using TopGun.Server.Maps;

namespace TopGun.Server.Tests.Maps;

public sealed class PartitionStateTests
{
    private const string Partition = "a";
    private static readonly IReadOnlyList<string> Keys = PartitionKeys.In(Partition, 8);
    private readonly ManualTimeSource _time = new(1_700_000_000_000);

    private PartitionState NewState(Hlc? hlc = null) => new("todos", Partition, 16, hlc ?? new Hlc("server", _time));

    private static Timestamp Ts(long millis, int counter = 0, string node = "client") => new(millis, counter, node);

    private static LwwOp Put(string key, string value, Timestamp ts, long? ttl = null) =>
        new(key + "@" + ts, key, new LwwRecord(Value.Of(value), ts, ttl));

    private static OrMapRecord OrRecord(string value, Timestamp ts) => new(Value.Of(value), ts, ts.ToString());

    [Fact]
    public void Lww_merge_records_only_the_records_that_changed_state_in_one_event()
    {
        var state = NewState();
        state.ApplyLww([Put(Keys[0], "old", Ts(1_700_000_000_100))]);

        var update = state.ApplyLww([
            Put(Keys[0], "older", Ts(1_700_000_000_050)),
            Put(Keys[1], "new", Ts(1_700_000_000_200)),
        ]);

        var merged = Assert.IsType<LwwRecordsMerged>(update.Event);
        var record = Assert.Single(merged.Records);
        Assert.Equal(Keys[1], record.Key);
        Assert.All(update.Outcomes, o => Assert.True(o.Success));
        Assert.Equal(Keys[1], Assert.Single(update.Changes).Key);
        Assert.Equal(MapKind.Lww, state.Kind);
    }

    [Fact]
    public void Replayed_lww_ops_are_a_no_op_that_produces_no_event()
    {
        var state = NewState();
        var ops = new[] { Put(Keys[0], "v", Ts(1_700_000_000_100)), Put(Keys[1], "w", Ts(1_700_000_000_101)) };
        state.ApplyLww(ops);

        var again = state.ApplyLww(ops);

        Assert.Null(again.Event);
        Assert.Empty(again.Changes);
        Assert.Equal(2, again.Outcomes.Count(o => o.Success));
    }

    [Fact]
    public void An_op_for_a_key_of_another_partition_fails_and_the_rest_of_the_batch_applies()
    {
        var state = NewState();
        var foreign = PartitionKeys.Outside(Partition);

        var update = state.ApplyLww([Put(foreign, "v", Ts(1)), Put(Keys[0], "v", Ts(2))]);

        Assert.False(update.Outcomes[0].Success);
        Assert.Contains("belongs to partition", update.Outcomes[0].Error, StringComparison.Ordinal);
        Assert.True(update.Outcomes[1].Success);
        Assert.Single(Assert.IsType<LwwRecordsMerged>(update.Event).Records);
    }

    [Fact]
    public void Or_ops_on_an_lww_partition_are_rejected_per_op_with_a_clear_error()
    {
        var state = NewState();
        state.ApplyLww([Put(Keys[0], "v", Ts(1))]);

        var update = state.ApplyOr([new OrOp("op-1", Keys[1], OrRecord("x", Ts(2)), null)]);

        Assert.Null(update.Event);
        var outcome = Assert.Single(update.Outcomes);
        Assert.False(outcome.Success);
        Assert.Equal("Map 'todos' is an LWW map; OR operations are rejected.", outcome.Error);
        Assert.Equal(MapKind.Lww, state.Kind);
    }

    [Fact]
    public void A_batch_that_changes_nothing_leaves_the_kind_open()
    {
        var state = NewState();

        var update = state.ApplyLww([Put(PartitionKeys.Outside(Partition), "v", Ts(1))]);

        Assert.Null(update.Event);
        Assert.Null(state.Kind);
        Assert.True(state.ApplyOr([new OrOp(null, Keys[0], OrRecord("x", Ts(2)), null)]).Outcomes[0].Success);
        Assert.Equal(MapKind.Or, state.Kind);
    }

    [Fact]
    public void Or_push_diff_persists_tombstones_even_when_they_remove_nothing_and_reports_only_new_ones()
    {
        var state = NewState();
        var live = OrRecord("milk", Ts(10));
        state.ApplyOr([new OrOp(null, Keys[0], live, null)]);

        var unknownTag = Ts(5, 0, "other").ToString();
        var update = state.MergeOrEntries([new OrEntry(Keys[0], [live, OrRecord("eggs", Ts(11))], [unknownTag])]);

        var merged = Assert.IsType<OrChangesMerged>(update.Event);
        var entry = Assert.Single(merged.Entries);
        Assert.Equal("eggs", Assert.Single(entry.Records).Value.ToString().Trim('"'));
        Assert.Equal([unknownTag], entry.Tombstones);
        Assert.Equal(1, update.NewRecords);
        Assert.Equal(1, update.NewTombstones);
        Assert.Equal(2, update.Changes.Count);

        var again = state.MergeOrEntries([new OrEntry(Keys[0], [live], [unknownTag])]);
        Assert.Null(again.Event);
    }

    [Fact]
    public void The_last_or_change_of_each_key_carries_every_record_the_key_holds_after_the_command()
    {
        var state = NewState();
        var milk = OrRecord("milk", Ts(10));
        state.ApplyOr([new OrOp(null, Keys[0], milk, null)]);
        var eggs = OrRecord("eggs", Ts(11));
        var bread = OrRecord("bread", Ts(12));
        var tea = OrRecord("tea", Ts(13));

        var update = state.ApplyOr([
            new OrOp(null, Keys[0], eggs, null),
            new OrOp(null, Keys[1], tea, null),
            new OrOp(null, Keys[0], bread, null),
            new OrOp(null, Keys[0], null, milk.Tag),
        ]);

        Assert.Equal(
            [(Keys[0], eggs, null), (Keys[1], tea, null), (Keys[0], bread, null), (Keys[0], null, milk.Tag)],
            update.Changes.Select(c => (c.Key, c.OrAdded, c.OrRemovedTag)));
        Assert.Equal([null, [tea], null, [eggs, bread]], update.Changes.Select(c => c.OrRecords?.OrderBy(r => r.Timestamp).ToArray()));

        var removal = state.ApplyOr([new OrOp(null, Keys[1], null, tea.Tag)]);
        Assert.Empty(Assert.Single(removal.Changes).OrRecords!);
    }

    [Fact]
    public void Or_leaf_carries_the_records_and_the_tombstones_of_its_keys()
    {
        var state = NewState();
        var a = OrRecord("a", Ts(10));
        var b = OrRecord("b", Ts(11));
        state.ApplyOr([new OrOp(null, Keys[0], a, null), new OrOp(null, Keys[0], b, null), new OrOp(null, Keys[0], null, a.Tag)]);

        var path = Core.Merkle.MerkleTree.PathOf(Keys[0])[..3];
        var leaf = Assert.IsType<OrLeaf>(state.ReadMerkleNode(7, MapKind.Or, path, out var error));

        Assert.Null(error);
        var entry = Assert.Single(leaf.Entries, e => e.Key == Keys[0]);
        Assert.Equal(b, Assert.Single(entry.Records));
        Assert.Equal([a.Tag], entry.Tombstones);
    }

    [Fact]
    public void Lww_leaf_includes_tombstones_and_bucket_reads_stay_inside_the_partition()
    {
        var state = NewState();
        state.ApplyLww([Put(Keys[0], "v", Ts(1)), new LwwOp(null, Keys[1], LwwRecord.Tombstone(Ts(2)))]);

        var path = Core.Merkle.MerkleTree.PathOf(Keys[1])[..3];
        var leaf = Assert.IsType<LwwLeaf>(state.ReadMerkleNode(1, MapKind.Lww, path, out _));
        Assert.Contains(leaf.Records, r => r.Key == Keys[1] && r.Value.IsTombstone);

        var buckets = Assert.IsType<MerkleNodeHashes>(state.ReadMerkleNode(2, MapKind.Lww, Partition, out _));
        Assert.Equal(state.RootHash, buckets.Buckets.Values.Aggregate(0u, (s, h) => unchecked(s + h)));

        Assert.Null(state.ReadMerkleNode(3, MapKind.Lww, "b", out var outside));
        Assert.Contains("not inside partition", outside, StringComparison.Ordinal);
        Assert.Null(state.ReadMerkleNode(4, MapKind.Or, Partition, out var wrongKind));
        Assert.Contains("is an LWW map", wrongKind, StringComparison.Ordinal);
    }

    [Fact]
    public void Ttl_expiry_turns_expired_records_into_shared_tombstones_and_queries_skip_them_before_that()
    {
        var state = NewState();
        var now = _time.NowMillis();
        state.ApplyLww([Put(Keys[0], "short", Ts(now, 0), ttl: 1_000), Put(Keys[1], "long", Ts(now, 1), ttl: 60_000)]);

        Assert.Equal(2, state.Query(Core.Queries.QuerySpec.All, now).Count);
        Assert.Single(state.Query(Core.Queries.QuerySpec.All, now + 2_000));

        _time.Advance(2_000);
        var update = state.ExpireTtl();

        var merged = Assert.IsType<LwwRecordsMerged>(update.Event);
        var (key, tombstone) = Assert.Single(merged.Records);
        Assert.Equal(Keys[0], key);
        Assert.True(tombstone.IsTombstone);
        Assert.Equal(new Timestamp(now + 1_000, 0, MapSettings.ExpiryNodeId), tombstone.Timestamp);
        Assert.Equal(Keys[0], Assert.Single(update.Changes).Key);
        Assert.Null(state.ExpireTtl().Event);
    }

    [Fact]
    public void Or_ttl_expiry_tombstones_only_expired_tags_and_the_event_replays_to_the_same_state()
    {
        var state = NewState();
        var now = _time.NowMillis();
        var shortLived = new OrMapRecord(Value.Of("short"), Ts(now, 0), Ts(now, 0).ToString(), 1_000);
        var longLived = new OrMapRecord(Value.Of("long"), Ts(now, 1), Ts(now, 1).ToString(), 60_000);
        var forever = new OrMapRecord(Value.Of("forever"), Ts(now, 2), Ts(now, 2).ToString());
        var applied = state.ApplyOr([
            new OrOp(null, Keys[0], shortLived, null), new OrOp(null, Keys[0], forever, null), new OrOp(null, Keys[1], longLived, null),
        ]);
        Assert.Null(state.ExpireTtl().Event);

        _time.Advance(2_000);
        var update = state.ExpireTtl();

        var merged = Assert.IsType<OrChangesMerged>(update.Event);
        var entry = Assert.Single(merged.Entries);
        Assert.Equal(Keys[0], entry.Key);
        Assert.Equal([shortLived.Tag], entry.Tombstones);
        Assert.Equal(Keys[0], Assert.Single(update.Changes).Key);
        Assert.Equal([forever], state.Or!.GetRecords(Keys[0], includeExpired: true));
        Assert.Equal([longLived], state.Or.GetRecords(Keys[1], includeExpired: true));
        Assert.Null(state.ExpireTtl().Event);

        var replayed = NewState(new Hlc("server", _time));
        replayed.ApplyEvent(applied.Event!);
        replayed.ApplyEvent(merged);
        Assert.Equal(state.RootHash, replayed.RootHash);

        _time.Advance(60_000);
        var second = Assert.IsType<OrChangesMerged>(state.ExpireTtl().Event);
        Assert.Equal([longLived.Tag], Assert.Single(second.Entries).Tombstones);
        // A partition rebuilt from its journal expires the same record: recovery tracks TTL keys too.
        var replayedSecond = Assert.IsType<OrChangesMerged>(replayed.ExpireTtl().Event);
        Assert.Equal([longLived.Tag], Assert.Single(replayedSecond.Entries).Tombstones);
    }

    [Fact]
    public void Tombstone_gc_prunes_old_tombstones_and_the_event_replays_to_the_same_state()
    {
        var state = NewState();
        var events = new List<IPartitionEvent>();
        void Record(IPartitionEvent? e) { if (e is not null) events.Add(e); }
        Record(state.ApplyLww([new LwwOp(null, Keys[0], LwwRecord.Tombstone(Ts(100))), Put(Keys[1], "v", Ts(101)),
            new LwwOp(null, Keys[2], LwwRecord.Tombstone(Ts(5_000)))]).Event);

        Record(state.PruneTombstones(Ts(1_000, 0, "")));

        Assert.IsType<LwwTombstonesPruned>(events[^1]);
        Assert.Null(state.Lww!.GetRecord(Keys[0]));
        Assert.NotNull(state.Lww.GetRecord(Keys[2]));
        Assert.Null(state.PruneTombstones(Ts(1_000, 0, "")));

        var replayed = NewState();
        foreach (var e in events) replayed.ApplyEvent(e);
        Assert.Equal(state.RootHash, replayed.RootHash);
        Assert.Equal(state.Lww.Records.OrderBy(r => r.Key), replayed.Lww!.Records.OrderBy(r => r.Key));
    }

    [Fact]
    public void Or_state_rebuilt_from_events_or_from_a_snapshot_equals_the_original_including_tombstones()
    {
        var state = NewState();
        var events = new List<IPartitionEvent>();
        var a = OrRecord("a", Ts(10));
        var b = OrRecord("b", Ts(11));
        foreach (var update in new[]
                 {
                     state.ApplyOr([new OrOp(null, Keys[0], a, null), new OrOp(null, Keys[1], b, null)]),
                     state.ApplyOr([new OrOp(null, Keys[0], null, a.Tag)]),
                     state.MergeOrEntries([new OrEntry(Keys[2], [OrRecord("c", Ts(12))], [Ts(3).ToString()])]),
                 })
        {
            if (update.Event is not null) events.Add(update.Event);
        }

        var fromEvents = NewState(new Hlc("other", _time));
        foreach (var e in events) fromEvents.ApplyEvent(e);
        var fromSnapshot = NewState(new Hlc("other", _time));
        fromSnapshot.ApplySnapshot(state.ToSnapshot()!);

        foreach (var rebuilt in new[] { fromEvents, fromSnapshot })
        {
            Assert.Equal(state.RootHash, rebuilt.RootHash);
            Assert.Equal(state.Or!.Tombstones.Order(), rebuilt.Or!.Tombstones.Order());
            Assert.Equal([a.Tag], rebuilt.ReadOrEntries([Keys[0]])[0].Tombstones);
        }
    }

    [Fact]
    public void Recovery_moves_the_clock_past_every_timestamp_it_saw()
    {
        var state = NewState();
        var future = Ts(_time.NowMillis() + 10_000, 7, "client");
        var update = state.ApplyLww([Put(Keys[0], "v", future)]);

        var restartedClock = new Hlc("server", _time);
        var recovered = NewState(restartedClock);
        recovered.ApplyEvent(update.Event!);

        Assert.True(restartedClock.Now() > ((LwwRecordsMerged)update.Event!).ServerTime);
    }

    [Fact]
    public void A_partition_fed_random_ops_and_rebuilt_from_its_events_equals_an_lww_map_fed_the_same_ops()
    {
        for (var seed = 0; seed < 25; seed++)
        {
            var random = new Random(seed);
            var state = NewState();
            var reference = new LwwMap(new Hlc("reference", _time));
            var events = new List<IPartitionEvent>();
            for (var batch = 0; batch < 20; batch++)
            {
                var ops = Enumerable.Range(0, random.Next(1, 6)).Select(_ =>
                {
                    var key = Keys[random.Next(Keys.Count)];
                    var ts = Ts(1_700_000_000_000 + random.Next(50), random.Next(3), random.Next(2) == 0 ? "n1" : "n2");
                    var record = random.Next(4) == 0 ? LwwRecord.Tombstone(ts) : new LwwRecord(Value.Of(random.Next(100)), ts);
                    return new LwwOp(null, key, record);
                }).ToArray();
                foreach (var op in ops) reference.Merge(op.Key, op.Record);
                if (state.ApplyLww(ops).Event is { } e) events.Add(e);
                if (batch == 10 && state.ToSnapshot() is { } snapshot)
                {
                    var fromSnapshot = NewState();
                    fromSnapshot.ApplySnapshot(snapshot);
                    Assert.Equal(state.RootHash, fromSnapshot.RootHash);
                }
            }

            var rebuilt = NewState();
            foreach (var e in events) rebuilt.ApplyEvent(e);
            Assert.Equal(reference.Merkle.GetHash(Partition), rebuilt.RootHash);
            Assert.Equal(reference.Records.OrderBy(r => r.Key), rebuilt.Lww!.Records.OrderBy(r => r.Key));
        }
    }
}
