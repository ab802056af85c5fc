using Akka.Cluster.Sharding;

namespace TopGun.Server.Sharding;

/// <summary>
/// Routes <typeparamref name="TMessage"/>s of one region: the entity id comes from the message, the shard is
/// <see cref="StableShardId"/> of it (the same on every node and every version), and the entity receives
/// <c>entityMessage(message)</c> (the message itself when not given). Other messages belong to no entity.
/// </summary>
internal sealed class StableShardExtractor<TMessage>(int shardCount, Func<TMessage, string> entityId, Func<TMessage, object>? entityMessage = null)
    : IMessageExtractor where TMessage : class
{
    public string? EntityId(object message) => message is TMessage m ? entityId(m) : null;

    public object? EntityMessage(object message) => message is TMessage m && entityMessage is not null ? entityMessage(m) : message;

    public string? ShardId(object message) => message is TMessage m ? StableShardId.Of(entityId(m), shardCount) : null;

    public string ShardId(string entityId, object? messageHint = null) => StableShardId.Of(entityId, shardCount);
}
