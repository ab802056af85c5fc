using TopGun.Core.Clock;
using TopGun.Core.Merkle;

namespace TopGun.Core.Tests.Merkle;

public sealed class MerkleTreeVirtualBucketTests
{
    private static readonly LwwMerkleTree Tree = Build(5000);

    [Fact]
    public void Children_of_every_level_down_to_a_full_key_hash_sum_to_their_parent()
    {
        var key = "k-17";
        var path = MerkleTree.PathOf(key);
        for (var length = 0; length < MerkleTree.MaxPathLength; length++)
        {
            var parent = path[..length];
            var children = Tree.GetChildHashes(parent);
            Assert.Equal(HashUnder(parent), unchecked(children.Values.Aggregate(0u, (sum, h) => sum + h)));
            Assert.Equal(HashUnder(parent + path[length]), children[path[length]]);
        }
    }

    [Fact]
    public void Items_under_a_virtual_bucket_are_exactly_the_keys_whose_hash_starts_with_its_path()
    {
        var path = MerkleTree.PathOf("k-42")[..5];
        var expected = Enumerable.Range(0, 5000).Select(i => "k-" + i).Where(k => MerkleTree.PathOf(k).StartsWith(path, StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        Assert.Equal(expected, Tree.GetItemsUnder(path).Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Equal(expected.Count(), Tree.CountUnder(path));
    }

    [Fact]
    public void A_full_key_hash_path_holds_the_key_with_its_item_hash()
    {
        Assert.True(Tree.TryGetItemHash("k-7", out var itemHash));
        Assert.Contains(new KeyValuePair<string, uint>("k-7", itemHash), Tree.GetItemsUnder(MerkleTree.PathOf("k-7")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("ab")]
    [InlineData("abcdefab0")]
    [InlineData("ABC")]
    [InlineData("abx")]
    public void Items_are_listed_only_for_valid_paths_at_or_below_the_stored_leaves(string path) =>
        Assert.Empty(Tree.GetItemsUnder(path));

    [Fact]
    public void Counts_above_the_leaves_come_from_the_stored_levels()
    {
        Assert.Equal(5000, Tree.CountUnder(""));
        Assert.Equal(5000, Enumerable.Range(0, 16).Sum(d => Tree.CountUnder(d.ToString("x1", System.Globalization.CultureInfo.InvariantCulture))));
    }

    private static uint HashUnder(string path) => unchecked(
        (uint)Enumerable.Range(0, 5000).Select(i => "k-" + i)
            .Where(k => MerkleTree.PathOf(k).StartsWith(path, StringComparison.Ordinal))
            .Aggregate(0L, (sum, k) => sum + LwwMerkleTree.ItemHash(k, Stamp(k))));

    private static Timestamp Stamp(string key) => new(1_700_000_000_000 + key.Length, key.Length, "n-1");

    private static LwwMerkleTree Build(int count)
    {
        var tree = new LwwMerkleTree();
        for (var i = 0; i < count; i++) tree.Update("k-" + i, Stamp("k-" + i));
        return tree;
    }
}
