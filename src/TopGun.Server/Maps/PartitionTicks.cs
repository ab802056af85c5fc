using Akka.Actor;

namespace TopGun.Server.Maps;

/// <summary>Local timer and lifecycle messages of a <see cref="MapPartition"/>; never persisted or sent between nodes.</summary>
internal static class PartitionTicks
{
    /// <summary>Time to turn expired TTL records into tombstones. Does not count as activity for passivation.</summary>
    public sealed record ExpireTtl : INotInfluenceReceiveTimeout
    {
        public static readonly ExpireTtl Instance = new();
    }

    /// <summary>Time to prune old tombstones. Does not count as activity for passivation.</summary>
    public sealed record CollectTombstones : INotInfluenceReceiveTimeout
    {
        public static readonly CollectTombstones Instance = new();
    }

    /// <summary>Sent back by the shard on passivation: stop once in-flight writes are done, so none is lost.</summary>
    public sealed record Stop
    {
        public static readonly Stop Instance = new();
    }
}
