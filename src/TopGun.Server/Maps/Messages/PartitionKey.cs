using TopGun.Core.Merkle;

namespace TopGun.Server.Maps;

/// <summary>
/// Which partition of a map owns a key: the first hex digit(s) of the key's Merkle path, so a
/// partition is exactly one subtree of the protocol's Merkle tree.
/// </summary>
internal static class PartitionKey
{
    /// <summary>The partition among 16 ("0".."f").</summary>
    public static string Of(string key) => Of(key, 16);

    /// <summary>The partition for <paramref name="partitionCount"/> 16 (one hex digit) or 256 (two hex digits).</summary>
    public static string Of(string key, int partitionCount)
    {
        ArgumentNullException.ThrowIfNull(key);
        return MerkleTree.PathOf(key)[..PrefixLength(partitionCount)];
    }

    /// <summary>Hex digits of a partition name: 1 for 16 partitions, 2 for 256.</summary>
    public static int PrefixLength(int partitionCount) => partitionCount switch
    {
        16 => 1,
        256 => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(partitionCount), partitionCount, "Partitions per map must be 16 or 256."),
    };

    /// <summary>Every partition name, in hex order.</summary>
    public static IReadOnlyList<string> All(int partitionCount)
    {
        var length = PrefixLength(partitionCount);
        return Enumerable.Range(0, partitionCount).Select(i => i.ToString(length == 1 ? "x1" : "x2", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>The sharding entity id of a map partition.</summary>
    public static string EntityId(string mapName, string partition) => mapName + "|" + partition;

    /// <summary>The journal stream of a map partition.</summary>
    public static string PersistenceId(string mapName, string partition) => "map|" + mapName + "|" + partition;
}
