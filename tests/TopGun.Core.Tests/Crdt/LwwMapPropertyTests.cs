using CsCheck;
using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Values;

namespace TopGun.Core.Tests.Crdt;

public sealed class LwwMapPropertyTests
{
    private static readonly string[] Keys = ["a", "b", "c", "d"];
    private static readonly string[] Nodes = ["node-a", "node-b", "node-c"];

    // Timestamps collide often (small ranges) to exercise ties. Value, tombstone-ness and TTL are all
    // derived from the timestamp, because two different writes never share one in a real system.
    private static readonly Gen<(string Key, LwwRecord Record)> GenOp =
        Gen.Select(Gen.Int[0, Keys.Length - 1], Gen.Int[0, 6], Gen.Int[0, 2], Gen.Int[0, Nodes.Length - 1])
            .Select((k, millis, counter, node) =>
            {
                var ts = new Timestamp(millis, counter, Nodes[node]);
                var kind = (millis + counter + node) % 5;
                Value value = kind == 0 ? Value.Null : Value.Of(ts.ToString());
                long? ttlMs = kind == 1 ? millis % 4 + 1 : null;
                return (Keys[k], new LwwRecord(value, ts, ttlMs));
            });

    private static readonly Gen<(string Key, LwwRecord Record)[]> GenOps = GenOp.Array[0, 25];

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
    public void Merkle_root_equals_a_tree_rebuilt_from_the_final_records() =>
        GenOps.Sample(ops =>
        {
            var map = Build(ops);
            var rebuilt = new TopGun.Core.Merkle.LwwMerkleTree();
            foreach (var (key, record) in map.Records) rebuilt.Update(key, record);
            Assert.Equal(rebuilt.RootHash, map.Merkle.RootHash);
        });

    /// <summary>Shuffles the ops and delivers some of them twice.</summary>
    private static IEnumerable<(string, LwwRecord)> Redeliver((string, LwwRecord)[] ops, int seed)
    {
        var random = new Random(seed);
        var delivered = ops.Concat(ops.Where(_ => random.Next(3) == 0)).ToArray();
        random.Shuffle(delivered);
        return delivered;
    }
}
