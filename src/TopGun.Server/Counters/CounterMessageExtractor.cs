using Akka.Cluster.Sharding;
using TopGun.Server.Sharding;

namespace TopGun.Server.Counters;

/// <summary>Routes <see cref="CounterEnvelope"/>s of the "counter" region: the entity id is the counter name.</summary>
public sealed class CounterMessageExtractor(int shardCount) : IMessageExtractor
{
    public string? EntityId(object message) => message is CounterEnvelope e ? e.Name : null;

    public object? EntityMessage(object message) => message is CounterEnvelope e ? e.Command : message;

    public string? ShardId(object message) => message is CounterEnvelope e ? StableShardId.Of(e.Name, shardCount) : null;

    public string ShardId(string entityId, object? messageHint = null) => StableShardId.Of(entityId, shardCount);
}
