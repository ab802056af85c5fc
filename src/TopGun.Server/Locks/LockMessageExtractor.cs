using Akka.Cluster.Sharding;
using TopGun.Server.Sharding;

namespace TopGun.Server.Locks;

/// <summary>Routes <see cref="ILockCommand"/>s of the "lock" region to the entity named after the lock.</summary>
public sealed class LockMessageExtractor(int shardCount) : IMessageExtractor
{
    public string? EntityId(object message) => message is ILockCommand c ? c.Name : null;

    public object? EntityMessage(object message) => message;

    public string? ShardId(object message) => EntityId(message) is { } id ? StableShardId.Of(id, shardCount) : null;

    public string ShardId(string entityId, object? messageHint = null) => StableShardId.Of(entityId, shardCount);
}
