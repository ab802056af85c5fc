using CsCheck;
using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Merkle;
using TopGun.Core.Values;

namespace TopGun.Core.Tests.Crdt;

public sealed class OrMapPropertyTests
{
    // Hot keys hold several tags at once (what removes by value and concurrent adds act on); cold
    // keys spread the records over many Merkle leaves.
    private static readonly string[] HotKeys = ["a", "b", "c"];
    private const int ColdKeys = 200;
    private static readonly Value[] Values = [Value.Of("x"), Value.Of(1), Value.Map(("n", 1), ("m", Value.Array(Value.Map(("q", 2))))), Value.True];

    /// <summary>An add (record) or a remove (tombstone of a tag); <paramref name="ByValue"/> marks the tags of a remove by value.</summary>
    private sealed record Op(string Key, OrMapRecord? Record, string? Tombstone, bool ByValue = false);

    private enum Step { Add, AddWithTtl, RemoveTag, RemoveByValue, RemoveUnknownTag }

    private static readonly Gen<Step> GenStep = Gen.Frequency(
        (8, Gen.Const(Step.Add)), (2, Gen.Const(Step.AddWithTtl)), (5, Gen.Const(Step.RemoveTag)),
        (3, Gen.Const(Step.RemoveByValue)), (1, Gen.Const(Step.RemoveUnknownTag)));

    private static readonly Gen<string> GenKey = Gen.Frequency(
        (2, Gen.Int[0, HotKeys.Length - 1].Select(i => HotKeys[i])),
        (1, Gen.Int[0, ColdKeys - 1].Select(i => "key-" + i)));

    // One op history as its origins produced it. Each add gets a unique timestamp (its index), as real
    // tags are unique. Most removes name the tag of an add of the history, possibly one generated
    // later, so a tombstone may arrive before its record; a few name a tag never added. A remove by
    // value runs OrMap.Remove on the history so far and sends the tags it tombstoned, as a client does.
    private static readonly Gen<Op[]> GenOps =
        Gen.Select(GenKey, Gen.Int[0, Values.Length - 1], GenStep, Gen.Int[0, 1000])
            .Array[0, 40]
            .Select(raw =>
            {
                var addIndices = Enumerable.Range(0, raw.Length).Where(i => raw[i].Item3 is Step.Add or Step.AddWithTtl).ToArray();
                var origin = NewMap();
                var ops = new List<Op>();
                for (var i = 0; i < raw.Length; i++)
                {
                    var (key, value, step, target) = raw[i];
                    switch (step)
                    {
                        case Step.Add or Step.AddWithTtl:
                        {
                            var ts = TagTimestamp(i);
                            var op = new Op(key, new OrMapRecord(Values[value], ts, ts.ToString(), step == Step.AddWithTtl ? 10 : null), null);
                            origin.Apply(key, op.Record!);
                            ops.Add(op);
                            break;
                        }
                        case Step.RemoveTag when addIndices.Length > 0:
                        {
                            var tag = TagTimestamp(addIndices[target % addIndices.Length]).ToString();
                            origin.ApplyTombstone(tag);
                            ops.Add(new Op(key, null, tag));
                            break;
                        }
                        case Step.RemoveByValue:
                            foreach (var tag in origin.Remove(key, Values[value])) ops.Add(new Op(key, null, tag, ByValue: true));
                            break;
                        default:
                        {
                            var tag = TagTimestamp(raw.Length + target).ToString();
                            origin.ApplyTombstone(tag);
                            ops.Add(new Op(key, null, tag));
                            break;
                        }
                    }
                }
                return ops.ToArray();
            });

    private static Timestamp TagTimestamp(int index) => new(1 + index / 3, index, "node-" + index % 3);

    private static OrMap NewMap() => new(new Hlc("replica", new ManualTimeSource(5)));

    private static void Deliver(OrMap map, Op op)
    {
        if (op.Record is { } r) map.Apply(op.Key, r);
        else map.ApplyTombstone(op.Tombstone!);
    }

    private static OrMap Build(IEnumerable<Op> ops)
    {
        var map = NewMap();
        foreach (var op in ops) Deliver(map, op);
        return map;
    }

    /// <summary>State-based merge through MergeKey, as Merkle sync does it.</summary>
    private static OrMap Merge(OrMap a, OrMap b)
    {
        var result = NewMap();
        foreach (var source in new[] { a, b })
        {
            var tombstones = source.Tombstones.ToList();
            result.MergeKey("", [], tombstones);
            foreach (var key in source.Keys.ToList()) result.MergeKey(key, source.GetRecords(key, includeExpired: true), tombstones);
        }
        return result;
    }

    private static void AssertSameState(OrMap expected, OrMap actual)
    {
        Assert.Equal(Snapshot(expected), Snapshot(actual));
        Assert.Equal(expected.Tombstones.Order(StringComparer.Ordinal), actual.Tombstones.Order(StringComparer.Ordinal));
        Assert.Equal(expected.Merkle.RootHash, actual.Merkle.RootHash);
    }

    private static List<(string Key, string Tag, OrMapRecord Record)> Snapshot(OrMap map) =>
        map.Records
            .SelectMany(e => e.Value.Select(r => (e.Key, r.Tag, r)))
            .OrderBy(x => x.Key, StringComparer.Ordinal).ThenBy(x => x.Tag, StringComparer.Ordinal)
            .ToList();

    // Replicas are random overlapping subsets of one op history: tags are unique across the system,
    // so independently generated histories could reuse a tag for different records.
    [Fact]
    public void Merge_is_commutative() =>
        Gen.Select(GenOps, Gen.Int).Sample((ops, seed) =>
        {
            var parts = Split(ops, seed, 2);
            var (a, b) = (Build(parts[0]), Build(parts[1]));
            AssertSameState(Merge(a, b), Merge(b, a));
        });

    [Fact]
    public void Merge_is_associative() =>
        Gen.Select(GenOps, Gen.Int).Sample((ops, seed) =>
        {
            var parts = Split(ops, seed, 3);
            var (a, b, c) = (Build(parts[0]), Build(parts[1]), Build(parts[2]));
            AssertSameState(Merge(Merge(a, b), c), Merge(a, Merge(b, c)));
        });

    [Fact]
    public void Merge_is_idempotent() =>
        GenOps.Sample(x =>
        {
            var a = Build(x);
            AssertSameState(a, Merge(a, a));
        });

    [Fact]
    public void Any_delivery_order_with_duplicates_converges_to_the_same_state_and_root() =>
        Gen.Select(GenOps, Gen.Int, Gen.Int).Sample((ops, seed1, seed2) =>
        {
            var first = Build(Redeliver(ops, seed1));
            AssertSameState(first, Build(Redeliver(ops, seed2)));
            AssertSameState(Build(ops), first);
        });

    [Fact]
    public void Op_delivery_and_state_merge_agree() =>
        Gen.Select(GenOps, Gen.Int).Sample((ops, seed) =>
        {
            var parts = Split(ops, seed, 2);
            AssertSameState(Build(parts[0].Concat(parts[1])), Merge(Build(parts[0]), Build(parts[1])));
        });

    [Fact]
    public void No_tombstoned_tag_is_ever_live_and_the_root_matches_a_rebuilt_tree() =>
        GenOps.Sample(ops =>
        {
            var map = Build(ops);
            var rebuilt = new OrMerkleTree();
            foreach (var (key, records) in map.Records)
            {
                Assert.DoesNotContain(records, r => map.IsTombstoned(r.Tag));
                rebuilt.Update(key, records);
            }
            Assert.Equal(rebuilt.RootHash, map.Merkle.RootHash);
        });

    [Fact]
    public void Remove_by_value_tombstones_exactly_the_live_tags_of_that_value_and_keeps_the_others()
    {
        var removedSome = 0;
        Gen.Select(GenOps, GenKey, Gen.Int[0, Values.Length - 1]).Sample((ops, key, v) =>
        {
            var map = Build(ops);
            var value = Values[v];
            var before = map.GetRecords(key, includeExpired: true);
            var tags = map.Remove(key, value);
            if (tags.Count > 0) Interlocked.Increment(ref removedSome);
            Assert.Equal(before.Where(r => r.Value.Equals(value)).Select(r => r.Tag).Order(StringComparer.Ordinal), tags.Order(StringComparer.Ordinal));
            Assert.All(tags, t => Assert.True(map.IsTombstoned(t)));
            Assert.Equal(
                before.Where(r => !r.Value.Equals(value)).OrderBy(r => r.Tag, StringComparer.Ordinal),
                map.GetRecords(key, includeExpired: true).OrderBy(r => r.Tag, StringComparer.Ordinal));
            var rebuilt = new OrMerkleTree();
            foreach (var (k, records) in map.Records) rebuilt.Update(k, records);
            Assert.Equal(rebuilt.RootHash, map.Merkle.RootHash);
        }, iter: 200);
        Assert.True(removedSome >= 20, $"only {removedSome} of 200 removes by value found a tag to remove");
    }

    [Fact]
    public void Generated_histories_remove_mostly_added_tags_and_also_by_value()
    {
        var (removes, ofAddedTags, byValueHistories, wideHistories) = (0, 0, 0, 0);
        GenOps.Sample(ops =>
        {
            var added = ops.Where(o => o.Record is not null).Select(o => o.Record!.Tag).ToHashSet(StringComparer.Ordinal);
            var tombstones = ops.Where(o => o.Tombstone is not null).Select(o => o.Tombstone!).ToList();
            Interlocked.Add(ref removes, tombstones.Count);
            Interlocked.Add(ref ofAddedTags, tombstones.Count(added.Contains));
            if (ops.Count(o => o.ByValue) >= 2) Interlocked.Increment(ref byValueHistories);
            if (ops.Select(o => o.Key).Distinct().Count() >= 12) Interlocked.Increment(ref wideHistories);
        }, iter: 200);
        Assert.True(ofAddedTags * 4 >= removes * 3, $"only {ofAddedTags} of {removes} removes named a tag that was added");
        Assert.True(ofAddedTags < removes, "no remove named a tag never added");
        Assert.True(byValueHistories >= 10, $"only {byValueHistories} of 200 histories removed two tags by value");
        Assert.True(wideHistories >= 20, $"only {wideHistories} of 200 histories wrote 12 distinct keys");
    }

    /// <summary>Hands every op to one or more of <paramref name="count"/> replicas.</summary>
    private static List<Op>[] Split(Op[] ops, int seed, int count)
    {
        var random = new Random(seed);
        var parts = Enumerable.Range(0, count).Select(_ => new List<Op>()).ToArray();
        foreach (var op in ops)
        {
            var mask = random.Next(1, 1 << count);
            for (var i = 0; i < count; i++)
                if ((mask & (1 << i)) != 0) parts[i].Add(op);
        }
        return parts;
    }

    private static IEnumerable<Op> Redeliver(Op[] ops, int seed)
    {
        var random = new Random(seed);
        var delivered = ops.Concat(ops.Where(_ => random.Next(3) == 0)).ToArray();
        random.Shuffle(delivered);
        return delivered;
    }
}
