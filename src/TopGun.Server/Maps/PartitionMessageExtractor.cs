using Akka.Cluster.Sharding;
using TopGun.Server.Sharding;

namespace TopGun.Server.Maps;

/// <summary>Routes <see cref="PartitionEnvelope"/>s of the "map" region; the entity receives the bare command.</summary>
public sealed class PartitionMessageExtractor(int shardCount) : IMessageExtractor
{
    public string? EntityId(object message) => message switch
    {
        PartitionEnvelope e => e.EntityId,
        _ => null,
    };

    public object? EntityMessage(object message) => message is PartitionEnvelope e ? e.Command : message;

    public string? ShardId(object message) => message switch
    {
        PartitionEnvelope e => StableShardId.Of(e.EntityId, shardCount),
        _ => null,
    };

    public string ShardId(string entityId, object? messageHint = null) => StableShardId.Of(entityId, shardCount);

    /// <summary>Splits <c>{map}|{partition}</c>; the partition never contains '|', the map name may.</summary>
    public static (string MapName, string Partition) Parse(string entityId)
    {
        var bar = entityId.LastIndexOf('|');
        if (bar <= 0 || bar == entityId.Length - 1) throw new ArgumentException($"'{entityId}' is not a map partition entity id.", nameof(entityId));
        return (entityId[..bar], entityId[(bar + 1)..]);
    }
}
