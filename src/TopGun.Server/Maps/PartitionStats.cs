using Akka.Actor;

namespace TopGun.Server.Maps;

/// <summary>Node-wide map partition counters, read by <c>GET /metrics</c>. Thread-safe.</summary>
internal sealed class PartitionStats : IExtension
{
    private long _active;
    private long _eventsPersisted;
    private long _changes;
    private long _persistFailures;

    public static PartitionStats Get(ActorSystem system) => system.WithExtension<PartitionStats, PartitionStatsProvider>();

    /// <summary>Partitions on this node that finished recovery and have not stopped.</summary>
    public long Active => Interlocked.Read(ref _active);

    /// <summary>Journal events written by this node's partitions (one per group-committed write, TTL expiry or prune).</summary>
    public long EventsPersisted => Interlocked.Read(ref _eventsPersisted);

    /// <summary>Keys whose state changed through those events (what subscribers were told about).</summary>
    public long Changes => Interlocked.Read(ref _changes);

    /// <summary>Journal writes that failed or were rejected; each stops its partition, which recovers on the next message.</summary>
    public long PersistFailures => Interlocked.Read(ref _persistFailures);

    internal void Started() => Interlocked.Increment(ref _active);

    internal void Stopped() => Interlocked.Decrement(ref _active);

    internal void Persisted(int changes)
    {
        Interlocked.Increment(ref _eventsPersisted);
        Interlocked.Add(ref _changes, changes);
    }

    internal void PersistFailed() => Interlocked.Increment(ref _persistFailures);
}

internal sealed class PartitionStatsProvider : ExtensionIdProvider<PartitionStats>
{
    public override PartitionStats CreateExtension(ExtendedActorSystem system) => new();
}
