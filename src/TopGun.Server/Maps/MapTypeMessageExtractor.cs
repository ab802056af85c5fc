using Akka.Cluster.Sharding;
using TopGun.Server.Sharding;

namespace TopGun.Server.Maps;

/// <summary>Routes <see cref="ClaimMapType"/> of the "map-type" region to the entity named after the map.</summary>
public sealed class MapTypeMessageExtractor(int shardCount) : IMessageExtractor
{
    public string? EntityId(object message) => message switch
    {
        ClaimMapType c => c.MapName,
        _ => null,
    };

    public object? EntityMessage(object message) => message;

    public string? ShardId(object message) => EntityId(message) is { } id ? StableShardId.Of(id, shardCount) : null;

    public string ShardId(string entityId, object? messageHint = null) => StableShardId.Of(entityId, shardCount);
}
