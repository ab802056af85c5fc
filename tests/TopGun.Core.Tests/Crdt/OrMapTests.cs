using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Merkle;
using TopGun.Core.Values;

namespace TopGun.Core.Tests.Crdt;

public sealed class OrMapTests
{
    private readonly ManualTimeSource _time = new(1_000_000);
    private readonly OrMap _map;

    public OrMapTests() => _map = new OrMap(new Hlc("node-a", _time));

    private static OrMapRecord Rec(Value value, long millis, int counter = 0, string node = "node-b", long? ttl = null)
    {
        var ts = new Timestamp(millis, counter, node);
        return new OrMapRecord(value, ts, ts.ToString(), ttl);
    }

    [Fact]
    public void Add_tags_the_record_with_the_string_form_of_its_timestamp()
    {
        var record = _map.Add("k", "v");
        Assert.Equal("1000000:0:node-a", record.Tag);
        Assert.Equal(record.Timestamp.ToString(), record.Tag);
        Assert.Equal([Value.Of("v")], _map.Get("k"));
    }

    [Fact]
    public void Concurrent_adds_of_the_same_value_are_kept_as_separate_tags()
    {
        _map.Add("k", "v");
        _map.Add("k", "v");
        Assert.Equal(2, _map.GetRecords("k").Count);
        Assert.Equal(2, _map.Get("k").Count);
    }

    [Fact]
    public void Remove_tombstones_every_observed_tag_of_an_equal_value()
    {
        var a1 = _map.Add("k", Value.Map(("x", 1)));
        var a2 = _map.Add("k", Value.Map(("x", 1)));
        var b = _map.Add("k", "other");

        var tags = _map.Remove("k", Value.Map(("x", 1)));

        Assert.Equal(new[] { a1.Tag, a2.Tag }.Order(), tags.Order());
        Assert.Equal([Value.Of("other")], _map.Get("k"));
        Assert.True(_map.IsTombstoned(a1.Tag));
        Assert.False(_map.IsTombstoned(b.Tag));
        Assert.Empty(_map.Remove("k", "absent"));
        Assert.Empty(_map.Remove("no-such-key", "v"));
    }

    [Fact]
    public void Re_adding_a_removed_value_creates_a_new_live_tag()
    {
        var first = _map.Add("k", "v");
        _map.Remove("k", "v");
        Assert.Empty(_map.Get("k"));
        Assert.DoesNotContain("k", _map.Keys);

        var second = _map.Add("k", "v");
        Assert.NotEqual(first.Tag, second.Tag);
        Assert.Equal([Value.Of("v")], _map.Get("k"));
    }

    [Fact]
    public void Remove_does_not_affect_a_concurrent_add_it_did_not_observe()
    {
        var replica = new OrMap(new Hlc("node-b", new ManualTimeSource(1_000_000)));
        var seen = _map.Add("k", "v");
        replica.Apply("k", seen);

        var concurrent = replica.Add("k", "v");
        var removed = _map.Remove("k", "v");

        _map.Apply("k", concurrent);
        foreach (var tag in removed) replica.ApplyTombstone(tag);

        Assert.Equal([Value.Of("v")], _map.Get("k"));
        Assert.Equal([Value.Of("v")], replica.Get("k"));
        Assert.Equal(_map.Merkle.RootHash, replica.Merkle.RootHash);
    }

    [Fact]
    public void Apply_ignores_tombstoned_tags_and_duplicates()
    {
        var record = Rec("v", 5);
        Assert.True(_map.Apply("k", record));
        Assert.False(_map.Apply("k", record));
        Assert.True(_map.ApplyTombstone(record.Tag));
        Assert.False(_map.ApplyTombstone(record.Tag));
        Assert.False(_map.Apply("k", record));
        Assert.Empty(_map.Get("k"));
        Assert.Equal(0u, _map.Merkle.RootHash);
    }

    [Fact]
    public void Apply_replaces_a_held_tag_only_with_a_greater_timestamp()
    {
        var original = Rec("v", 5);
        _map.Apply("k", original);
        var newer = original with { Value = "w", Timestamp = new Timestamp(6, 0, "node-b") };
        var older = original with { Value = "u", Timestamp = new Timestamp(4, 0, "node-b") };

        Assert.False(_map.Apply("k", older));
        Assert.True(_map.Apply("k", newer));
        Assert.Equal([Value.Of("w")], _map.Get("k"));
    }

    [Fact]
    public void Apply_refuses_a_tag_already_live_under_another_key()
    {
        var record = Rec("v", 5);
        _map.Apply("a", record);
        Assert.False(_map.Apply("b", record with { Timestamp = new Timestamp(9, 0, "node-b") }));
        Assert.Empty(_map.Get("b"));
        Assert.True(_map.TryGetKeyOfTag(record.Tag, out var key));
        Assert.Equal("a", key);
    }

    [Fact]
    public void Apply_advances_the_clock()
    {
        var hlc = new Hlc("node-a", _time);
        new OrMap(hlc).Apply("k", Rec("v", 2_000_000, 7));
        Assert.Equal(new Timestamp(2_000_000, 8, "node-a"), hlc.Last);
    }

    [Fact]
    public void A_tombstone_arriving_before_its_record_suppresses_the_record()
    {
        var record = Rec("v", 5);
        Assert.True(_map.ApplyTombstone(record.Tag));
        Assert.False(_map.Apply("k", record));
        Assert.Empty(_map.Keys);
    }

    [Fact]
    public void MergeKey_reports_added_updated_and_new_tombstones()
    {
        var kept = Rec("kept", 5);
        var toUpdate = Rec("old", 6);
        var toRemove = Rec("gone", 7);
        var elsewhere = Rec("elsewhere", 8);
        _map.Apply("k", kept);
        _map.Apply("k", toUpdate);
        _map.Apply("k", toRemove);
        _map.Apply("other", elsewhere);
        _map.ApplyTombstone("1:0:node-z");

        var fresh = Rec("fresh", 9);
        var updated = toUpdate with { Value = "new", Timestamp = new Timestamp(10, 0, "node-b") };
        var result = _map.MergeKey("k", [kept, updated, fresh, toRemove], [toRemove.Tag, elsewhere.Tag, "1:0:node-z"]);

        Assert.True(result.Changed);
        Assert.Equal([fresh], result.Added);
        Assert.Equal([updated], result.Updated);
        Assert.Equal([toRemove.Tag, elsewhere.Tag], result.NewTombstones);
        Assert.Equal(
            new[] { new KeyValuePair<string, OrMapRecord>("k", toRemove), new("other", elsewhere) },
            result.Removed);
        Assert.Equal(new[] { "fresh", "kept", "new" }, _map.Get("k").Select(v => ((StringValue)v).Item).Order());
        Assert.DoesNotContain("other", _map.Keys);
        Assert.False(_map.Merkle.TryGetItemHash("other", out _));
    }

    [Fact]
    public void MergeKey_of_known_state_changes_nothing()
    {
        var record = Rec("v", 5);
        _map.Apply("k", record);
        _map.ApplyTombstone("1:0:node-z");
        var root = _map.Merkle.RootHash;

        var result = _map.MergeKey("k", [record], ["1:0:node-z"]);

        Assert.False(result.Changed);
        Assert.Same(MergeKeyResult.Unchanged, result);
        Assert.Equal(root, _map.Merkle.RootHash);
    }

    [Fact]
    public void Get_skips_expired_records_and_GetRecords_can_include_them()
    {
        _map.Add("k", "short", ttlMs: 100);
        _map.Add("k", "long");
        _time.Advance(101);

        Assert.Equal([Value.Of("long")], _map.Get("k"));
        Assert.Single(_map.GetRecords("k"));
        Assert.Equal(2, _map.GetRecords("k", includeExpired: true).Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => _map.Add("k", "v", 0));
    }

    [Fact]
    public void Prune_forgets_tombstones_older_than_the_horizon_and_keeps_unparseable_tags()
    {
        _map.ApplyTombstone("100:0:node-b");
        _map.ApplyTombstone("200:0:node-b");
        _map.ApplyTombstone("not-a-timestamp");

        var pruned = _map.Prune(new Timestamp(200, 0, "node-b"));

        Assert.Equal(["100:0:node-b"], pruned);
        Assert.Equal(new[] { "200:0:node-b", "not-a-timestamp" }, _map.Tombstones.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Merkle_entry_of_a_key_covers_all_its_records()
    {
        var a = _map.Add("k", "a", ttlMs: 50);
        var b = _map.Add("k", Value.Map(("n", 1)));
        Assert.Equal(OrEntryHash.Compute("k", [a, b]), _map.Merkle.RootHash);

        _map.Remove("k", "a");
        Assert.Equal(OrEntryHash.Compute("k", [b]), _map.Merkle.RootHash);

        _map.Remove("k", Value.Map(("n", 1)));
        Assert.Equal(0u, _map.Merkle.RootHash);
        Assert.Equal(0, _map.Merkle.Count);
    }

    [Fact]
    public void Records_enumerates_every_key_with_its_records()
    {
        _map.Add("a", 1);
        _map.Add("a", 2);
        _map.Add("b", 3);
        var records = _map.Records.ToDictionary(e => e.Key, e => e.Value.Count);
        Assert.Equal(new Dictionary<string, int> { ["a"] = 2, ["b"] = 1 }, records);
        Assert.Equal(2, _map.Count);
    }

    [Fact]
    public void Clear_forgets_records_tombstones_and_the_tree()
    {
        _map.Add("a", 1);
        _map.ApplyTombstone("1:0:x");
        _map.Clear();
        Assert.Empty(_map.Keys);
        Assert.Empty(_map.Tombstones);
        Assert.Equal(0u, _map.Merkle.RootHash);
    }

    [Fact]
    public void A_record_expires_only_once_its_ttl_has_fully_passed()
    {
        var record = Rec(Value.Of("x"), 1000, ttl: 50);
        Assert.False(record.IsExpired(1000));
        Assert.False(record.IsExpired(1050));
        Assert.True(record.IsExpired(1051));
    }

    [Fact]
    public void After_clear_a_tag_can_live_under_another_key()
    {
        var record = Rec(Value.Of("x"), 1000);
        Assert.True(_map.Apply("k", record));
        _map.Clear();
        Assert.True(_map.Apply("j", record));
        Assert.Equal([record], _map.GetRecords("j"));
    }

    [Fact]
    public void Merge_key_result_is_changed_when_any_one_of_its_parts_is_not_empty()
    {
        var r = Rec(Value.Of("x"), 1000);
        Assert.False(MergeKeyResult.Unchanged.Changed);
        Assert.True(new MergeKeyResult([r], [], [], []).Changed);
        Assert.True(new MergeKeyResult([], [r], [], []).Changed);
        Assert.True(new MergeKeyResult([], [], ["t"], []).Changed);
        Assert.True(new MergeKeyResult([], [], [], [new("k", r)]).Changed);
        Assert.Equal([r, r], new MergeKeyResult([r], [r], [], []).AddedOrUpdated);
    }

    [Fact]
    public void One_prune_forgets_every_tombstone_older_than_the_horizon()
    {
        _map.ApplyTombstone("100:0:node-b");
        _map.ApplyTombstone("101:0:node-b");
        _map.ApplyTombstone("102:0:node-c");
        Assert.Equal(3, _map.Prune(new Timestamp(200, 0, "node-b")).Count);
        Assert.Empty(_map.Tombstones);
    }
}
