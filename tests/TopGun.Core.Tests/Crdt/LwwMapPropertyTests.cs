using CsCheck;
using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Values;

namespace TopGun.Core.Tests.Crdt;

public sealed class LwwMapPropertyTests
{
    // A few hot keys get concurrent writes (the conflicts merge resolves); a wide space of cold keys
    // spreads the records over many of the Merkle tree's 4096 leaves.
    private static readonly string[] HotKeys = ["a", "b", "c", "d"];
    private const int ColdKeys = 600;
    private static readonly string[] Nodes = ["node-a", "node-b", "node-c"];

    private static readonly Gen<string> GenKey = Gen.Frequency(
        (1, Gen.Int[0, HotKeys.Length - 1].Select(i => HotKeys[i])),
        (1, Gen.Int[0, ColdKeys - 1].Select(i => "key-" + i)));

    // Timestamps collide often (small ranges) to exercise ties. Value, tombstone-ness and TTL are all
    // derived from the timestamp, because two different writes never share one in a real system.
    private static readonly Gen<(string Key, LwwRecord Record)> GenOp =
        Gen.Select(GenKey, Gen.Int[0, 6], Gen.Int[0, 2], Gen.Int[0, Nodes.Length - 1])
            .Select((key, millis, counter, node) =>
            {
                var ts = new Timestamp(millis, counter, Nodes[node]);
                var kind = (millis + counter + node) % 5;
                Value value = kind == 0 ? Value.Null : Value.Of(ts.ToString());
                long? ttlMs = kind == 1 ? millis % 4 + 1 : null;
                return (key, new LwwRecord(value, ts, ttlMs));
            });

    private static readonly Gen<(string Key, LwwRecord Record)[]> GenOps = GenOp.Array[0, 60];

    // Long enough histories that one map's records fill hundreds of Merkle leaves.
    private static readonly Gen<(string Key, LwwRecord Record)[]> GenLongOps = GenOp.Array[0, 500];

    private static LwwMap NewMap() => new(new Hlc("replica", new ManualTimeSource(3)));

    private static LwwMap Build(IEnumerable<(string Key, LwwRecord Record)> ops)
    {
        var map = NewMap();
        foreach (var (key, record) in ops) map.Merge(key, record);
        return map;
    }

    /// <summary>State-based merge: every record of <paramref name="b"/> merged into a copy of <paramref name="a"/>.</summary>
    private static LwwMap Merge(LwwMap a, LwwMap b)
    {
        var result = Build(a.Records.Select(e => (e.Key, e.Value)));
        foreach (var (key, record) in b.Records) result.Merge(key, record);
        return result;
    }

    private static void AssertSameState(LwwMap expected, LwwMap actual)
    {
        Assert.Equal(
            expected.Records.OrderBy(e => e.Key, StringComparer.Ordinal).ToList(),
            actual.Records.OrderBy(e => e.Key, StringComparer.Ordinal).ToList());
        Assert.Equal(expected.Merkle.RootHash, actual.Merkle.RootHash);
    }

    [Fact]
    public void Merge_is_commutative() =>
        Gen.Select(GenOps, GenOps).Sample((x, y) =>
        {
            var (a, b) = (Build(x), Build(y));
            AssertSameState(Merge(a, b), Merge(b, a));
        });

    [Fact]
    public void Merge_is_associative() =>
        Gen.Select(GenOps, GenOps, GenOps).Sample((x, y, z) =>
        {
            var (a, b, c) = (Build(x), Build(y), Build(z));
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
            var second = Build(Redeliver(ops, seed2));
            AssertSameState(first, second);
            AssertSameState(Build(ops), first);
        });

    [Fact]
    public void Merkle_root_equals_a_tree_rebuilt_from_the_final_records()
    {
        var mostLeaves = 0;
        GenLongOps.Sample(ops =>
        {
            var map = Build(ops);
            var rebuilt = new TopGun.Core.Merkle.LwwMerkleTree();
            foreach (var (key, record) in map.Records) rebuilt.Update(key, record);
            Assert.Equal(rebuilt.RootHash, map.Merkle.RootHash);
            var leaves = map.Records.Select(e => TopGun.Core.Merkle.MerkleTree.PathOf(e.Key)[..TopGun.Core.Merkle.MerkleTree.Depth]).Distinct().Count();
            InterlockedMax(ref mostLeaves, leaves);
        });
        // The property is only as strong as the spread of its keys: some maps must touch hundreds of leaves.
        Assert.True(mostLeaves >= 150, $"the largest generated map touched only {mostLeaves} Merkle leaves");
    }

    [Fact]
    public void Generated_histories_hold_conflicting_writes_to_one_key_and_many_distinct_keys()
    {
        var (conflicts, wide) = (0, 0);
        GenOps.Sample(ops =>
        {
            var perKey = ops.GroupBy(o => o.Key).ToList();
            if (perKey.Any(g => g.Select(o => o.Record.Timestamp).Distinct().Count() > 2)) Interlocked.Increment(ref conflicts);
            if (perKey.Count >= 20) Interlocked.Increment(ref wide);
        }, iter: 200);
        Assert.True(conflicts >= 50, $"only {conflicts} of 200 histories wrote one key three times");
        Assert.True(wide >= 50, $"only {wide} of 200 histories wrote 20 distinct keys");
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current) return;
            current = seen;
        }
    }

    /// <summary>Shuffles the ops and delivers some of them twice.</summary>
    private static IEnumerable<(string, LwwRecord)> Redeliver((string, LwwRecord)[] ops, int seed)
    {
        var random = new Random(seed);
        var delivered = ops.Concat(ops.Where(_ => random.Next(3) == 0)).ToArray();
        random.Shuffle(delivered);
        return delivered;
    }
}
