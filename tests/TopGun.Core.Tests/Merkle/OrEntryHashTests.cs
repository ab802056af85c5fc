using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Merkle;
using TopGun.Core.Values;

namespace TopGun.Core.Tests.Merkle;

/// <summary>
/// Expected hashes below came from running the TS algorithm (hashORMapEntry / stringifyValue of
/// packages/core/src/ORMapMerkle.ts) in Node on the same records.
/// </summary>
public sealed class OrEntryHashTests
{
    private static OrMapRecord Rec(Value value, long millis, int counter, string nodeId, long? ttl = null)
    {
        var ts = new Timestamp(millis, counter, nodeId);
        return new OrMapRecord(value, ts, ts.ToString(), ttl);
    }

    private const long M = 1_700_000_000_000;

    public static TheoryData<string, OrMapRecord[], uint> TsVectors => new()
    {
        { "k", [Rec("hello", M, 0, "node-a")], 3120931847u },
        { "n", [Rec(1.5, M, 1, "node-a"), Rec(true, M, 2, "node-b")], 3093674824u },
        { "z", [Rec(Value.Null, M, 0, "node-a")], 1523860827u },
        {
            "user-1",
            [Rec(Value.Map(("name", "Ann"), ("age", 30), ("tags", Value.Array("a", "b"))), M + 5, 3, "node-b", 60_000)],
            2142937702u
        },
        { "obj", [Rec(Value.Map(("b", Value.Map(("a", 1), ("c", 2))), ("a", 0)), M, 0, "node-a")], 1991078820u },
        { "arr", [Rec(Value.Array(Value.Map(("x", 1))), M, 0, "node-a")], 705411599u },
        { "t", [Rec("nine", M, 9, "node-a"), Rec("ten", M, 10, "node-a")], 1201059555u },
        { "ключ", [Rec("é🙂", M, 0, "node-a")], 3197093458u },
        { "big", [Rec(1e21, M, 0, "node-a"), Rec(-0.0, M, 1, "node-a"), Rec(123456789012345680000.0, M, 2, "node-a")], 4181310046u },
    };

    [Theory]
    [MemberData(nameof(TsVectors))]
    public void Entry_hash_matches_the_TS_algorithm(string key, OrMapRecord[] records, uint expected)
    {
        Assert.Equal(expected, OrEntryHash.Compute(key, records));
        Assert.Equal(expected, OrEntryHash.Compute(key, records.Reverse().ToArray()));
    }

    [Fact]
    public void Entry_hash_is_the_hash_of_the_joined_parts()
    {
        var a = Rec(Value.Map(("x", 1)), M, 0, "node-a", 5);
        var b = Rec("v", M, 1, "node-a");
        var text = $"key:k|{a.Tag}:{{\"x\":1}}:{M}:0:node-a:ttl=5|{b.Tag}:v:{M}:1:node-a";
        Assert.Equal(Fnv1a.Hash(text), OrEntryHash.Compute("k", [b, a]));
    }

    public static TheoryData<Value, string> Renderings => new()
    {
        { Value.Array(Value.Map(("x", 1))), "[{}]" },
        { Value.Map(("b", Value.Map(("a", 1), ("c", 2))), ("a", 0)), "{\"a\":0,\"b\":{\"a\":1}}" },
        { Value.Array(Value.Array(1, Value.Map(("0", "z"), ("1", "y"), ("x", 3))), "q"), "[[1,{\"0\":\"z\",\"1\":\"y\"}],\"q\"]" },
        { Value.Map(("10", 1), ("9", 2), ("b", 3), ("A", 4)), "{\"10\":1,\"9\":2,\"A\":4,\"b\":3}" },
        { Value.Of(Enumerable.Range(1, 11).Select(i => (byte)i).ToArray()), "{\"0\":1,\"1\":2,\"10\":11,\"2\":3,\"3\":4,\"4\":5,\"5\":6,\"6\":7,\"7\":8,\"8\":9,\"9\":10}" },
        { Value.Null, "null" },
        { Value.True, "true" },
        { Value.False, "false" },
        { Value.Of(1.5), "1.5" },
        { Value.Of(-0.0), "0" },
        { Value.Of(1e21), "1e+21" },
        { Value.Of("plain \"text\""), "plain \"text\"" },
    };

    [Theory]
    [MemberData(nameof(Renderings))]
    public void Values_render_as_the_TS_stringifyValue_does(Value value, string expected) =>
        Assert.Equal(expected, OrEntryHash.RenderValue(value));

    [Fact]
    public void Or_tree_drops_a_key_whose_records_are_gone()
    {
        var tree = new OrMerkleTree();
        var r = Rec("v", M, 0, "node-a");
        tree.Update("k", [r]);
        Assert.Equal(OrEntryHash.Compute("k", [r]), tree.RootHash);
        tree.Update("k", []);
        Assert.Equal(0u, tree.RootHash);
        Assert.Equal(0, tree.Count);
    }
}
