using TopGun.Core.Clock;
using TopGun.Core.Merkle;

namespace TopGun.Core.Tests.Merkle;

public sealed class LwwMerkleTreeTests
{
    private static readonly Timestamp T0 = new(1_700_000_000_000, 0, "node-A");

    [Fact]
    public void Item_hash_matches_protocol_vector()
    {
        // Protocol §7: key todo-1 at 1700000000000:0:node-A. Timestamp is built directly: Hlc would refuse the uppercase id.
        Assert.Equal(486534177u, LwwMerkleTree.ItemHash("todo-1", T0));
    }

    [Fact]
    public void Item_hash_equals_hash_of_the_joined_string()
    {
        var ts = new Timestamp(-5, 123_456, "n-1");
        Assert.Equal(Fnv1a.Hash("k:ü:-5:123456:n-1"), LwwMerkleTree.ItemHash("k:ü", ts));
    }

    [Fact]
    public void Root_of_a_single_key_is_its_item_hash_and_every_level_on_its_path_holds_it()
    {
        var tree = new LwwMerkleTree();
        tree.Update("todo-1", T0);
        var path = MerkleTree.PathOf("todo-1");

        Assert.Equal("d39fd5d3", path);
        Assert.Equal(486534177u, tree.RootHash);
        Assert.Equal(486534177u, tree.GetHash(path[..1]));
        Assert.Equal(486534177u, tree.GetHash(path[..2]));
        Assert.Equal(486534177u, tree.GetHash(path[..3]));
        Assert.Equal(new Dictionary<char, uint> { ['d'] = 486534177u }, tree.GetBuckets(""));
        Assert.Equal(new Dictionary<char, uint> { ['3'] = 486534177u }, tree.GetBuckets("d"));
        Assert.Equal(new Dictionary<char, uint> { ['9'] = 486534177u }, tree.GetBuckets("d3"));
        Assert.Equal(["todo-1"], tree.GetKeysInBucket("d39"));
    }

    [Fact]
    public void Root_is_the_wrapping_sum_of_item_hashes()
    {
        var tree = new LwwMerkleTree();
        uint expected = 0;
        for (var i = 0; i < 500; i++)
        {
            var key = "key-" + i;
            var ts = new Timestamp(1_700_000_000_000 + i, i % 3, "node-a");
            tree.Update(key, ts);
            expected = unchecked(expected + LwwMerkleTree.ItemHash(key, ts));
        }
        Assert.Equal(expected, tree.RootHash);
        Assert.Equal(500, tree.Count);
        Assert.Equal(tree.RootHash, tree.GetBuckets("").Values.Aggregate(0u, (a, b) => unchecked(a + b)));
    }

    [Fact]
    public void Updating_a_key_replaces_its_hash_and_removing_it_restores_the_previous_root()
    {
        var tree = new LwwMerkleTree();
        tree.Update("a", new Timestamp(1, 0, "n"));
        var rootWithA = tree.RootHash;

        tree.Update("b", new Timestamp(2, 0, "n"));
        tree.Update("b", new Timestamp(3, 0, "n"));
        Assert.Equal(unchecked(rootWithA + LwwMerkleTree.ItemHash("b", new Timestamp(3, 0, "n"))), tree.RootHash);

        Assert.True(tree.Remove("b"));
        Assert.False(tree.Remove("b"));
        Assert.Equal(rootWithA, tree.RootHash);
        Assert.Equal(1, tree.Count);

        Assert.True(tree.Remove("a"));
        Assert.Equal(0u, tree.RootHash);
        Assert.Empty(tree.GetBuckets(""));
    }

    [Fact]
    public void Buckets_list_only_children_holding_keys_and_are_empty_at_leaves_and_bad_paths()
    {
        var tree = new LwwMerkleTree();
        tree.Update("todo-1", T0);
        var path = MerkleTree.PathOf("todo-1");
        var otherDigit = path[0] == '0' ? "1" : "0";

        Assert.Single(tree.GetBuckets(""));
        Assert.Empty(tree.GetBuckets(otherDigit));
        Assert.Empty(tree.GetBuckets(path[..3]));
        Assert.Empty(tree.GetBuckets("D"));
        Assert.Empty(tree.GetBuckets("d39d"));
        Assert.Empty(tree.GetBuckets("zz"));
        Assert.Equal(0u, tree.GetHash("xyz"));
        Assert.Empty(tree.GetKeysInBucket(path[..2]));
        Assert.Empty(tree.GetKeysInBucket(otherDigit + "00"));
    }

    [Fact]
    public void Leaf_paths_are_exactly_the_well_formed_three_digit_paths()
    {
        var tree = new LwwMerkleTree();
        Assert.True(tree.IsLeafPath("abc"));
        Assert.True(tree.IsLeafPath("000"));
        Assert.False(tree.IsLeafPath(""));
        Assert.False(tree.IsLeafPath("ab"));
        Assert.False(tree.IsLeafPath("abcd"));
        Assert.False(tree.IsLeafPath("ABC"));
    }

    [Fact]
    public void Tree_holding_one_first_digit_of_keys_is_exactly_that_subtree_of_the_full_tree()
    {
        var full = new LwwMerkleTree();
        var partitions = new Dictionary<char, LwwMerkleTree>();
        for (var i = 0; i < 2000; i++)
        {
            var key = "user-" + i;
            var ts = new Timestamp(1_700_000_000_000 + i * 7, i % 5, "node-" + (i % 3));
            full.Update(key, ts);
            var digit = MerkleTree.PathOf(key)[0];
            if (!partitions.TryGetValue(digit, out var part)) partitions[digit] = part = new LwwMerkleTree();
            part.Update(key, ts);
        }

        Assert.Equal(16, partitions.Count);
        foreach (var (digit, part) in partitions)
        {
            Assert.Equal(full.GetHash(digit.ToString()), part.RootHash);
            Assert.Equal(full.GetBuckets(digit.ToString()), part.GetBuckets(digit.ToString()));
            Assert.Equal(new Dictionary<char, uint> { [digit] = part.RootHash }, part.GetBuckets(""));
        }
        Assert.Equal(full.RootHash, partitions.Values.Aggregate(0u, (sum, p) => unchecked(sum + p.RootHash)));
    }

    [Fact]
    public void Root_does_not_depend_on_update_order()
    {
        var items = Enumerable.Range(0, 300).Select(i => ("k" + i, new Timestamp(1000 + i, 0, "n"))).ToArray();
        var forward = new LwwMerkleTree();
        foreach (var (k, ts) in items) forward.Update(k, ts);
        var backward = new LwwMerkleTree();
        foreach (var (k, ts) in items.Reverse()) backward.Update(k, ts);

        Assert.Equal(forward.RootHash, backward.RootHash);
        foreach (var path in new[] { "", "0", "a", "f" }) Assert.Equal(forward.GetBuckets(path), backward.GetBuckets(path));
    }

    [Fact]
    public void Updating_existing_keys_allocates_nothing()
    {
        var tree = new LwwMerkleTree();
        var keys = Enumerable.Range(0, 64).Select(i => "key-" + i).ToArray();
        var stamps = Enumerable.Range(0, 8).Select(i => new Timestamp(1_700_000_000_000 + i, i, "node-" + i)).ToArray();
        foreach (var key in keys) tree.Update(key, stamps[0]);
        UpdateAll(tree, keys, stamps);

        var before = GC.GetAllocatedBytesForCurrentThread();
        UpdateAll(tree, keys, stamps);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Clear_empties_the_tree()
    {
        var tree = new LwwMerkleTree();
        tree.Update("a", T0);
        tree.Clear();
        Assert.Equal(0u, tree.RootHash);
        Assert.Equal(0, tree.Count);
        Assert.False(tree.TryGetItemHash("a", out _));
        Assert.Empty(tree.GetKeysInBucket(MerkleTree.PathOf("a")[..3]));
    }

    private static void UpdateAll(LwwMerkleTree tree, string[] keys, Timestamp[] stamps)
    {
        for (var round = 0; round < 100; round++)
            foreach (var key in keys) tree.Update(key, stamps[round % stamps.Length]);
    }

    [Fact]
    public void A_cleared_tree_refilled_equals_a_fresh_tree_at_every_level()
    {
        var keys = Enumerable.Range(0, 300).Select(i => "k" + i).ToArray();
        var cleared = new LwwMerkleTree();
        foreach (var k in keys) cleared.Update(k, new Timestamp(1, 0, "n"));
        cleared.Clear();
        Assert.Equal(0u, cleared.RootHash);
        Assert.Equal(0, cleared.Count);
        Assert.Empty(cleared.GetBuckets(""));
        var fresh = new LwwMerkleTree();
        foreach (var k in keys.Take(100))
        {
            cleared.Update(k, new Timestamp(2, 0, "n"));
            fresh.Update(k, new Timestamp(2, 0, "n"));
        }
        foreach (var path in keys.Select(k => MerkleTree.PathOf(k)).SelectMany(p => new[] { p[..1], p[..2], p[..3] }).Distinct())
        {
            Assert.Equal(fresh.GetHash(path), cleared.GetHash(path));
            Assert.Equal(fresh.CountUnder(path), cleared.CountUnder(path));
            Assert.Equal(keys.Take(100).Count(k => MerkleTree.PathOf(k).StartsWith(path, StringComparison.Ordinal)), cleared.CountUnder(path));
        }
        Assert.Equal(fresh.Count, cleared.Count);
    }

    [Fact]
    public void Virtual_children_below_a_leaf_list_only_the_digits_that_hold_keys()
    {
        var tree = new LwwMerkleTree();
        var keys = Enumerable.Range(0, 20_000).Select(i => "k" + i).ToArray();
        foreach (var k in keys) tree.Update(k, new Timestamp(1, 0, "n"));
        var leaf = MerkleTree.PathOf(keys[0])[..MerkleTree.Depth];
        var inLeaf = keys.Where(k => MerkleTree.PathOf(k).StartsWith(leaf, StringComparison.Ordinal)).ToArray();
        var children = tree.GetChildHashes(leaf);
        Assert.Equal(inLeaf.Select(k => MerkleTree.PathOf(k)[MerkleTree.Depth]).Distinct().Order(), children.Keys.Order());
        Assert.True(children.Count < 16, "the leaf should not hold keys under every digit for this test to mean anything");
    }
}
