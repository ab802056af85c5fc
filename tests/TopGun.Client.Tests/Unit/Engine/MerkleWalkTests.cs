using TopGun.Core.Crdt;
using TopGun.Client.Storage;
using TopGun.Client.Sync;
using TopGun.Core.Merkle;
using TopGun.Core.Protocol;

namespace TopGun.Client.Tests.Unit.Engine;

public sealed class MerkleWalkTests
{
    private static WireMap<uint> Remote(params (string Child, uint Hash)[] buckets) =>
        new(buckets.Select(b => new KeyValuePair<string, uint>(b.Child, b.Hash)).ToArray());

    private static Dictionary<char, uint> Local(params (char Child, uint Hash)[] buckets) => buckets.ToDictionary(b => b.Child, b => b.Hash);

    private static MerkleWalk Walking(MapKind kind, bool localOnly = false) =>
        MerkleWalk.Start("m", kind, localOnly).OnRoot(kind, 1, 2, 500).Walk;

    [Fact]
    public void Equal_roots_finish_the_walk_at_once_with_the_server_time()
    {
        var step = MerkleWalk.Start("m", MapKind.Lww, false).OnRoot(MapKind.Lww, 7, 7, 1234);
        Assert.True(step.Accepted);
        Assert.True(step.Finished);
        Assert.Empty(step.Requests);
        Assert.True(step.Walk.Done);
        Assert.Equal(1234, step.Walk.ServerMillis);
    }

    [Fact]
    public void Different_roots_request_the_root_bucket_and_keep_the_walk_open()
    {
        var step = MerkleWalk.Start("m", MapKind.Lww, false).OnRoot(MapKind.Lww, 7, 8, 1234);
        Assert.True(step.Accepted);
        Assert.False(step.Finished);
        Assert.Equal([""], step.Requests);
        Assert.Equal(1, step.Walk.Outstanding);
        Assert.Equal(1234, step.Walk.ServerMillis);
    }

    [Fact]
    public void A_second_root_and_answers_of_the_other_kind_are_ignored()
    {
        var walk = Walking(MapKind.Lww);
        Assert.False(walk.OnRoot(MapKind.Lww, 1, 1, 9).Accepted);
        Assert.False(MerkleWalk.Start("m", MapKind.Lww, false).OnRoot(MapKind.Or, 1, 1, 9).Accepted);
        Assert.False(walk.OnBuckets(MapKind.Or, "", Local(), Remote(("a", 1))).Accepted);
        Assert.False(walk.OnLeaf(MapKind.Or).Accepted);
        Assert.Same(walk, walk.OnLeaf(MapKind.Or).Walk);
    }

    [Fact]
    public void Buckets_request_only_children_that_differ_or_are_missing_locally()
    {
        var step = Walking(MapKind.Lww).OnBuckets(MapKind.Lww, "", Local(('a', 1), ('b', 2), ('c', 3)), Remote(("a", 1), ("b", 9), ("d", 4)));
        Assert.Equal(["b", "d"], step.Requests);
        Assert.Equal(2, step.Walk.Outstanding);
        Assert.False(step.Finished);
    }

    [Fact]
    public void An_lww_walk_skips_buckets_only_the_client_holds_and_an_or_walk_visits_them()
    {
        var local = Local(('a', 1), ('c', 3));
        var remote = Remote(("a", 1));
        var lww = Walking(MapKind.Lww).OnBuckets(MapKind.Lww, "f", local, remote);
        Assert.Empty(lww.Requests);
        Assert.True(lww.Finished);
        var or = Walking(MapKind.Or, localOnly: true).OnBuckets(MapKind.Or, "f", local, remote);
        Assert.Equal(["fc"], or.Requests);
        Assert.False(or.Finished);
    }

    [Fact]
    public void Children_that_are_not_one_hex_digit_are_never_requested()
    {
        var step = Walking(MapKind.Lww).OnBuckets(MapKind.Lww, "", Local(), Remote(("ab", 1), ("", 2), ("c", 3)));
        Assert.Equal(["c"], step.Requests);
    }

    [Fact]
    public void Buckets_at_leaf_depth_request_nothing_deeper()
    {
        var walk = Walking(MapKind.Or, localOnly: true);
        var step = walk.OnBuckets(MapKind.Or, new string('a', MerkleTree.Depth), Local(('b', 1)), Remote(("c", 2)));
        Assert.Empty(step.Requests);
        Assert.True(step.Finished);
    }

    [Fact]
    public void The_walk_finishes_with_its_last_answer_and_ignores_answers_after_that()
    {
        var step = Walking(MapKind.Lww).OnBuckets(MapKind.Lww, "", Local(), Remote(("a", 1), ("b", 2)));
        var first = step.Walk.OnLeaf(MapKind.Lww);
        Assert.True(first.Accepted);
        Assert.False(first.Finished);
        var last = first.Walk.OnLeaf(MapKind.Lww);
        Assert.True(last.Finished);
        Assert.True(last.Walk.Done);
        Assert.Equal(500, last.Walk.ServerMillis);
        Assert.False(last.Walk.OnLeaf(MapKind.Lww).Accepted);
        Assert.False(last.Walk.OnBuckets(MapKind.Lww, "", Local(), Remote(("a", 1))).Accepted);
    }

    [Fact]
    public void An_answer_before_the_root_counts_against_the_walk_without_finishing_it()
    {
        var step = MerkleWalk.Start("m", MapKind.Lww, false).OnLeaf(MapKind.Lww);
        Assert.True(step.Accepted);
        Assert.False(step.Finished);
        Assert.Equal(-1, step.Walk.Outstanding);
    }

    [Theory]
    [InlineData(MapKind.Lww, false)]
    [InlineData(MapKind.Or, true)]
    public void A_walk_against_a_real_tree_requests_exactly_the_leaves_that_differ(MapKind kind, bool localOnly)
    {
        var random = new Random(42);
        var server = new LwwMerkleTree();
        var client = new LwwMerkleTree();
        for (var i = 0; i < 300; i++)
        {
            var key = "k" + i;
            var hash = (uint)random.Next();
            // 0: only the client holds the key; 1: both, differing; 2: only the server; otherwise both, equal.
            var roll = random.Next(10);
            if (roll != 0) server.Update(key, hash);
            if (roll == 1) client.Update(key, hash ^ 1);
            else if (roll != 2) client.Update(key, hash);
        }

        var leaves = new List<string>();
        var pending = new Queue<string>();
        var step = MerkleWalk.Start("m", kind, localOnly).OnRoot(kind, client.RootHash, server.RootHash, 1);
        var rounds = 0;
        while (true)
        {
            foreach (var path in step.Requests) pending.Enqueue(path);
            if (step.Finished || !pending.TryDequeue(out var next) || ++rounds > 10_000) break;
            if (next.Length == MerkleTree.Depth)
            {
                leaves.Add(next);
                step = step.Walk.OnLeaf(kind);
            }
            else
            {
                var remote = server.GetBuckets(next).Select(b => new KeyValuePair<string, uint>(b.Key.ToString(), b.Value)).ToArray();
                step = step.Walk.OnBuckets(kind, next, new Dictionary<char, uint>(client.GetBuckets(next)), new WireMap<uint>(remote));
            }
        }

        Assert.True(step.Finished);
        Assert.Empty(pending);
        var expected = AllLeafPaths()
            .Where(p => server.CountUnder(p) > 0 ? server.GetHash(p) != client.GetHash(p) || client.CountUnder(p) == 0 : localOnly && client.CountUnder(p) > 0)
            .Order(StringComparer.Ordinal);
        Assert.NotEmpty(expected);
        Assert.Equal(expected, leaves.Order(StringComparer.Ordinal));
    }

    private static IEnumerable<string> AllLeafPaths()
    {
        const string hex = "0123456789abcdef";
        foreach (var a in hex)
            foreach (var b in hex)
                foreach (var c in hex)
                    yield return string.Concat(a, b, c);
    }
}
