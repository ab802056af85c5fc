using Akka.Cluster.Sharding;
using TopGun.Server.Sharding;

namespace TopGun.Server.Maps;

/// <summary>
/// Routing of the "map" region: <see cref="PartitionEnvelope"/>s go to the entity <c>{map}|{partition}</c>, which
/// receives the bare command.
/// </summary>
internal static class PartitionMessageExtractor
{
    public static IMessageExtractor For(int shardCount) => new StableShardExtractor<PartitionEnvelope>(shardCount, e => e.EntityId, e => e.Command);

    /// <summary>Splits <c>{map}|{partition}</c>; the partition never contains '|', the map name may.</summary>
    public static (string MapName, string Partition) Parse(string entityId)
    {
        ArgumentNullException.ThrowIfNull(entityId);
        var bar = entityId.LastIndexOf('|');
        if (bar <= 0 || bar == entityId.Length - 1) throw new ArgumentException($"'{entityId}' is not a map partition entity id.", nameof(entityId));
        return (entityId[..bar], entityId[(bar + 1)..]);
    }
}
