using CsCheck;
using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Merkle;
using TopGun.Core.Values;

namespace TopGun.Core.Tests.Crdt;

public sealed class OrMapPropertyTests
{
    private static readonly string[] Keys = ["a", "b", "c"];
    private static readonly Value[] Values = [Value.Of("x"), Value.Of(1), Value.Map(("n", 1), ("m", Value.Array(Value.Map(("q", 2))))), Value.True];

    /// <summary>An add (record) or a remove (tombstone of an earlier add's tag).</summary>
    private sealed record Op(string Key, OrMapRecord? Record, string? Tombstone);

    // Each add gets a unique timestamp (its index), as real tags are unique; removes name the tag of
    // some add, possibly one generated later, so a tombstone may arrive before its record.
    private static readonly Gen<Op[]> GenOps =
        Gen.Select(Gen.Int[0, Keys.Length - 1], Gen.Int[0, Values.Length - 1], Gen.Int[0, 3], Gen.Int[0, 30])
            .Array[0, 25]
            .Select(raw =>
            {
                var ops = new List<Op>();
                for (var i = 0; i < raw.Length; i++)
                {
                    var (key, value, kind, target) = raw[i];
                    var ts = TagTimestamp(i);
                    var record = new OrMapRecord(Values[value], ts, ts.ToString(), kind == 3 ? 10 : null);
                    ops.Add(new Op(Keys[key], record, null));
                    if (kind == 0) ops.Add(new Op(Keys[key], null, TagTimestamp(target).ToString()));
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
