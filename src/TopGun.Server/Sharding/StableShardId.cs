using System.Globalization;
using TopGun.Core.Merkle;

namespace TopGun.Server.Sharding;

/// <summary>
/// Shard of an entity id, for every sharded feature (maps, map types, locks, counters): FNV-1a of the id
/// modulo the shard count. Every node must compute the same shard for the same id, so nothing per-process
/// (like <see cref="string.GetHashCode()"/>) may be used.
/// </summary>
internal static class StableShardId
{
    public static string Of(string entityId, int shardCount)
    {
        ArgumentNullException.ThrowIfNull(entityId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(shardCount);
        return (Fnv1a.Hash(entityId) % (uint)shardCount).ToString(CultureInfo.InvariantCulture);
    }
}
