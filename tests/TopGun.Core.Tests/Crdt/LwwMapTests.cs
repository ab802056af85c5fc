using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Merkle;
using TopGun.Core.Values;

namespace TopGun.Core.Tests.Crdt;

public sealed class LwwMapTests
{
    private readonly ManualTimeSource _time = new(1_000_000);
    private readonly LwwMap _map;

    public LwwMapTests() => _map = new LwwMap(new Hlc("node-a", _time));

    private static LwwRecord Rec(Value value, long millis, int counter = 0, string node = "node-b", long? ttl = null) =>
        new(value, new Timestamp(millis, counter, node), ttl);

    [Fact]
    public void Set_stamps_with_the_clock_and_get_returns_the_value()
    {
        var record = _map.Set("k", "v");
        Assert.Equal(new Timestamp(1_000_000, 0, "node-a"), record.Timestamp);
        Assert.Equal(Value.Of("v"), _map.Get("k"));
        Assert.Same(record, _map.GetRecord("k"));
    }

    [Fact]
    public void Remove_writes_a_tombstone_that_reads_skip_but_records_keep()
    {
        _map.Set("k", "v");
        var tombstone = _map.Remove("k");

        Assert.True(tombstone.IsTombstone);
        Assert.Null(_map.Get("k"));
        Assert.Same(tombstone, _map.GetRecord("k"));
        Assert.Single(_map.Records);
        Assert.Empty(_map.Entries);
        Assert.Equal(1, _map.Count);
    }

    [Fact]
    public void Merge_accepts_a_record_for_an_unknown_key()
    {
        Assert.True(_map.Merge("k", Rec("v", 5)));
        Assert.Equal(Value.Of("v"), _map.Get("k"));
    }

    [Fact]
    public void Merge_keeps_local_record_on_equal_timestamps()
    {
        var local = Rec("mine", 5);
        _map.Merge("k", local);
        Assert.False(_map.Merge("k", Rec("theirs", 5)));
        Assert.Same(local, _map.GetRecord("k"));
    }

    [Fact]
    public void Merge_takes_a_strictly_greater_timestamp_by_millis_counter_then_node_id()
    {
        _map.Merge("k", Rec("a", 5, 1, "node-b"));
        Assert.False(_map.Merge("k", Rec("older", 5, 0, "node-z")));
        Assert.True(_map.Merge("k", Rec("c", 5, 1, "node-c")));
        Assert.True(_map.Merge("k", Rec("d", 5, 2, "node-a")));
        Assert.True(_map.Merge("k", Rec("e", 6, 0, "node-a")));
        Assert.Equal(Value.Of("e"), _map.Get("k"));
    }

    [Fact]
    public void Merge_advances_the_clock_past_the_remote_timestamp()
    {
        var hlc = new Hlc("node-a", _time);
        var map = new LwwMap(hlc);
        map.Merge("k", Rec("v", 2_000_000, 4));
        Assert.Equal(new Timestamp(2_000_000, 5, "node-a"), hlc.Last);
        var local = map.Set("k", "mine");
        Assert.True(local.Timestamp > new Timestamp(2_000_000, 4, "node-b"));
        Assert.Equal(Value.Of("mine"), map.Get("k"));
    }

    [Fact]
    public void Merge_under_strict_drift_policy_rejects_and_leaves_the_map_unchanged()
    {
        var map = new LwwMap(new Hlc("node-a", _time, maxDriftMillis: 1000, policy: DriftPolicy.Strict));
        Assert.Throws<ClockDriftException>(() => map.Merge("k", Rec("v", _time.NowMillis() + 5000)));
        Assert.Null(map.GetRecord("k"));
        Assert.Equal(0u, map.Merkle.RootHash);
    }

    [Fact]
    public void Expired_records_are_skipped_on_read_but_kept_as_records()
    {
        _map.Set("k", "v", ttlMs: 100);
        _time.Advance(100);
        Assert.Equal(Value.Of("v"), _map.Get("k"));
        _time.Advance(1);
        Assert.Null(_map.Get("k"));
        Assert.Empty(_map.Entries);
        Assert.NotNull(_map.GetRecord("k"));
    }

    [Fact]
    public void Set_rejects_a_non_positive_ttl()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _map.Set("k", "v", 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => _map.Set("k", "v", -5));
    }

    [Fact]
    public void ExpireRecords_turns_expired_ttl_records_into_tombstones_at_their_expiry()
    {
        var written = _map.Set("short", "v", ttlMs: 100);
        _map.Set("long", "v", ttlMs: 10_000);
        _map.Set("forever", "v");
        Assert.Empty(_map.ExpireRecords());

        _time.Advance(500);
        var expired = _map.ExpireRecords();

        var (key, tombstone) = Assert.Single(expired);
        Assert.Equal("short", key);
        Assert.True(tombstone.IsTombstone);
        Assert.Equal(new Timestamp(written.Timestamp.Millis + 100, 0, "node-a"), tombstone.Timestamp);
        Assert.Same(tombstone, _map.GetRecord("short"));
        Assert.Equal(LwwMerkleTree.ItemHash("short", tombstone.Timestamp), ItemHashOf(_map, "short"));
        Assert.Empty(_map.ExpireRecords());
        Assert.Equal(Value.Of("v"), _map.Get("long"));
    }

    [Fact]
    public void ExpireRecords_on_two_replicas_produces_identical_tombstones()
    {
        var other = new LwwMap(new Hlc("node-a", new ManualTimeSource(9_000_000)));
        var remote = Rec("v", 500_000, 3, "node-c", ttl: 1000);
        _map.Merge("k", remote);
        other.Merge("k", remote);
        _time.Set(9_000_000);

        Assert.Equal(_map.ExpireRecords(), other.ExpireRecords());
        Assert.Equal(_map.Merkle.RootHash, other.Merkle.RootHash);
    }

    [Fact]
    public void ExpireRecords_can_stamp_tombstones_with_a_shared_node_id()
    {
        var written = _map.Set("k", "v", ttlMs: 10);
        _time.Advance(100);
        var (_, tombstone) = Assert.Single(_map.ExpireRecords("expiry"));
        Assert.Equal(new Timestamp(written.Timestamp.Millis + 10, 0, "expiry"), tombstone.Timestamp);
    }

    [Fact]
    public void Newer_write_without_ttl_is_never_expired()
    {
        _map.Set("k", "v", ttlMs: 10);
        _map.Set("k", "w");
        _time.Advance(1000);
        Assert.Empty(_map.ExpireRecords());
        Assert.Equal(Value.Of("w"), _map.Get("k"));
    }

    [Fact]
    public void Prune_drops_only_tombstones_strictly_older_than_the_horizon()
    {
        _map.Merge("old-tombstone", Rec(Value.Null, 100));
        _map.Merge("edge-tombstone", Rec(Value.Null, 200));
        _map.Merge("old-value", Rec("v", 100));
        _map.Merge("new-tombstone", Rec(Value.Null, 300));

        var pruned = _map.Prune(new Timestamp(200, 0, "node-b"));

        Assert.Equal(["old-tombstone"], pruned);
        Assert.Null(_map.GetRecord("old-tombstone"));
        Assert.NotNull(_map.GetRecord("edge-tombstone"));
        Assert.NotNull(_map.GetRecord("old-value"));
        Assert.False(_map.Merkle.TryGetItemHash("old-tombstone", out _));
        Assert.Equal(3, _map.Merkle.Count);
    }

    [Fact]
    public void Merkle_tree_tracks_every_change()
    {
        var expected = new LwwMerkleTree();
        var a = _map.Set("a", 1);
        var b = _map.Set("b", 2);
        var tombstone = _map.Remove("a");
        _map.Merge("c", Rec("x", 5));
        expected.Update("a", tombstone.Timestamp);
        expected.Update("b", b.Timestamp);
        expected.Update("c", new Timestamp(5, 0, "node-b"));

        Assert.NotEqual(a.Timestamp, tombstone.Timestamp);
        Assert.Equal(expected.RootHash, _map.Merkle.RootHash);
    }

    [Fact]
    public void Clear_forgets_records_and_resets_the_tree()
    {
        _map.Set("a", 1, ttlMs: 5);
        _map.Clear();
        _time.Advance(100);
        Assert.Equal(0, _map.Count);
        Assert.Equal(0u, _map.Merkle.RootHash);
        Assert.Empty(_map.ExpireRecords());
    }

    [Fact]
    public void Merging_newer_records_for_existing_keys_allocates_nothing()
    {
        var map = new LwwMap(new Hlc("node-a", _time));
        var keys = Enumerable.Range(0, 32).Select(i => "key-" + i).ToArray();
        var rounds = 50;
        var records = new LwwRecord[rounds * 2][];
        for (var r = 0; r < records.Length; r++)
            records[r] = keys.Select((_, i) => Rec(Value.Of(i), 500_000 + r, i)).ToArray();
        MergeRounds(map, keys, records, 0, rounds);

        var before = GC.GetAllocatedBytesForCurrentThread();
        MergeRounds(map, keys, records, rounds, rounds * 2);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static void MergeRounds(LwwMap map, string[] keys, LwwRecord[][] records, int from, int to)
    {
        for (var r = from; r < to; r++)
            for (var i = 0; i < keys.Length; i++)
                map.Merge(keys[i], records[r][i]);
    }

    private static uint ItemHashOf(LwwMap map, string key) =>
        map.Merkle.TryGetItemHash(key, out var h) ? h : throw new InvalidOperationException("key not in tree");

    [Fact]
    public void One_prune_drops_every_old_tombstone_and_one_expiry_pass_expires_every_expired_record()
    {
        foreach (var k in new[] { "t1", "t2", "t3" }) _map.Merge(k, Rec(Value.Null, 100));
        Assert.Equal(["t1", "t2", "t3"], _map.Prune(new Timestamp(200, 0, "node-b")).Order(StringComparer.Ordinal));
        Assert.Equal(0, _map.Count);
        Assert.Equal(0u, _map.Merkle.RootHash);

        foreach (var k in new[] { "e1", "e2", "e3" }) _map.Set(k, "v", ttlMs: 10);
        _time.Advance(100);
        Assert.Equal(["e1", "e2", "e3"], _map.ExpireRecords().Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.All(new[] { "e1", "e2", "e3" }, k => Assert.True(_map.GetRecord(k)!.IsTombstone));
    }
}
