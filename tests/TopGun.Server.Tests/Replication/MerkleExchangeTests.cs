using System.Globalization;
using TopGun.Core.Clock;
using TopGun.Core.Merkle;
using TopGun.Server.Replication;

namespace TopGun.Server.Tests.Replication;

/// <summary>The anti-entropy exchange run step by step between two trees, as replica and owner run it over messages.</summary>
public sealed class MerkleExchangeTests
{
    private const string Partition = "0";

    [Theory]
    [InlineData(300, 10)]
    [InlineData(20_000, 100)]
    public void The_exchange_finds_exactly_the_differing_keys_of_a_partition(int keys, int differing)
    {
        var (owner, replica, expected) = Diverged(keys, differing);

        var (send, want, _, _) = Exchange(owner, replica);

        // A key changed at the owner travels both ways; the merge keeps the winner.
        Assert.Equal(expected.Owner.Order(StringComparer.Ordinal), send);
        Assert.Equal(expected.Replica.Order(StringComparer.Ordinal), want);
    }

    [Fact]
    public void Full_leaves_are_narrowed_below_the_stored_tree_so_digests_follow_the_difference_not_the_partition_size()
    {
        var (owner, replica, _) = Diverged(20_000, 100);

        var (_, _, roundTrips, digests) = Exchange(owner, replica);

        // 20,000 keys over a partition's 256 leaves is ~80 a leaf: listing every differing leaf would send thousands of digests.
        Assert.Equal(3, roundTrips);
        Assert.InRange(digests, 60, 400);
    }

    [Fact]
    public void Copies_in_sync_finish_after_the_first_round_trip()
    {
        var (owner, _, _) = Diverged(2000, 0);
        var (_, replica, _) = Diverged(2000, 0);

        var (send, want, roundTrips, digests) = Exchange(owner, replica);

        Assert.Empty(send);
        Assert.Empty(want);
        Assert.Equal(1, roundTrips);
        Assert.Equal(0, digests);
    }

    /// <summary>What <see cref="PartitionReplica"/> and the owning partition do, without the messages.</summary>
    private static (IReadOnlyList<string> Send, IReadOnlyList<string> Want, int RoundTrips, int Digests) Exchange(MerkleTree owner, MerkleTree replica)
    {
        var roundTrips = 1;
        var (differing, below) = MerkleExchange.CompareChildren(owner, Partition, MerkleExchange.Children(replica, Partition));
        var settled = new List<string>();
        while (true)
        {
            var (done, descend) = MerkleExchange.Narrow(replica, differing, below);
            settled.AddRange(done);
            if (descend.Count == 0) break;
            roundTrips++;
            (differing, below) = MerkleExchange.CompareChildren(owner, descend, MerkleExchange.Children(replica, descend));
        }
        if (settled.Count == 0) return ([], [], roundTrips, 0);
        roundTrips++;
        var digests = MerkleExchange.Digests(replica, settled);
        var (send, want) = MerkleExchange.CompareDigests(MerkleExchange.Digests(owner, settled), digests);
        return (send, want, roundTrips, digests.Count);
    }

    /// <summary>
    /// Two copies of one partition: the owner has every key; the replica misses a third of the differing keys,
    /// holds an older write of another third, and alone holds the last third.
    /// </summary>
    private static (LwwMerkleTree Owner, LwwMerkleTree Replica, (HashSet<string> Owner, HashSet<string> Replica) Expected) Diverged(int keys, int differing)
    {
        var owner = new LwwMerkleTree();
        var replica = new LwwMerkleTree();
        var inPartition = Enumerable.Range(0, int.MaxValue)
            .Select(i => "key-" + i.ToString(CultureInfo.InvariantCulture))
            .Where(k => MerkleTree.PathOf(k).StartsWith(Partition, StringComparison.Ordinal))
            .Take(keys + differing)
            .ToArray();
        foreach (var key in inPartition.Take(keys))
        {
            owner.Update(key, Stamp(1));
            replica.Update(key, Stamp(1));
        }
        var expectedOwner = new HashSet<string>(StringComparer.Ordinal);
        var expectedReplica = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < differing; i++)
        {
            switch (i % 3)
            {
                case 0:
                    var added = inPartition[keys + i];
                    owner.Update(added, Stamp(2));
                    expectedOwner.Add(added);
                    break;
                case 1:
                    var changed = inPartition[i * (keys / Math.Max(differing, 1))];
                    owner.Update(changed, Stamp(2));
                    expectedOwner.Add(changed);
                    expectedReplica.Add(changed);
                    break;
                default:
                    var onlyAtReplica = inPartition[keys + i];
                    replica.Update(onlyAtReplica, Stamp(2));
                    expectedReplica.Add(onlyAtReplica);
                    break;
            }
        }
        return (owner, replica, (expectedOwner, expectedReplica));
    }

    private static Timestamp Stamp(long millis) => new(1_700_000_000_000 + millis, 0, "n-1");
}
