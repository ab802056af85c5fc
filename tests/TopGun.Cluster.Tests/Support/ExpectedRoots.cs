using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Server.Maps;

namespace TopGun.Cluster.Tests.Support;

/// <summary>
/// The partition roots a map must have after a set of writes, computed apart from the server: the records are merged
/// into TopGun.Core's <see cref="LwwMap"/> (last writer wins per key) and each partition's root is read from that
/// map's <see cref="Core.Merkle.LwwMerkleTree"/> at the partition's path digit.
/// </summary>
internal static class ExpectedRoots
{
    public static Dictionary<string, uint> Of(string mapName, IEnumerable<(string Key, LwwRecord Record)> writes)
    {
        var map = new LwwMap(new Hlc("expected"));
        foreach (var (key, record) in writes) map.Merge(key, record);
        return PartitionKey.All(16).ToDictionary(p => PartitionKey.EntityId(mapName, p), p => map.Merkle.GetHash(p), StringComparer.Ordinal);
    }

    public static Dictionary<string, uint> Of(string mapName, IEnumerable<LwwOp> ops) => Of(mapName, ops.Select(o => (o.Key, o.Record)));
}
