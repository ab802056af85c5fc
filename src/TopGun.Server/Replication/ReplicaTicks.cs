using Akka.Actor;

namespace TopGun.Server.Replication;

/// <summary>Local timer and stream-control messages of replicas and owners; never sent between nodes.</summary>
internal static class ReplicaTicks
{
    /// <summary>Time for the periodic Merkle comparison (or a membership change asked for one).</summary>
    public sealed record ReconcileNow : INotInfluenceReceiveTimeout
    {
        public static readonly ReconcileNow Instance = new();
    }

    /// <summary>A reconciliation took longer than the reconcile timeout.</summary>
    public sealed record ReconcileTimedOut(long CorrelationId);

    /// <summary>An orphaned replica nudges the partition's shard region so the partition restarts somewhere and adopts it.</summary>
    public sealed record WakeOwner : INotInfluenceReceiveTimeout
    {
        public static readonly WakeOwner Instance = new();
    }

    /// <summary>An orphaned replica waited out its retention.</summary>
    public sealed record OrphanExpired
    {
        public static readonly OrphanExpired Instance = new();
    }

    /// <summary>An owner's replicas did not all answer the reconcile after recovery within the reconcile timeout.</summary>
    public sealed record ReconcileDeadline
    {
        public static readonly ReconcileDeadline Instance = new();
    }

    /// <summary>Time for an owner to check the deadlines of writes waiting for a replica. Does not count as activity for passivation.</summary>
    public sealed record ReplicaAckCheck : INotInfluenceReceiveTimeout
    {
        public static readonly ReplicaAckCheck Instance = new();
    }

    /// <summary>One element of a reconciliation stream, delivered to the merging actor.</summary>
    public sealed record StreamChunk(long CorrelationId, Maps.IPartitionEvent Event);

    public sealed record StreamInit(long CorrelationId);

    public sealed record StreamAck
    {
        public static readonly StreamAck Instance = new();
    }

    public sealed record StreamCompleted(long CorrelationId, bool Inbound);

    public sealed record StreamFailed(long CorrelationId, Exception Cause);

    /// <summary>A replica's root, for <see cref="GetReplicaRoots"/>.</summary>
    public sealed record GetRoot
    {
        public static readonly GetRoot Instance = new();
    }

    public sealed record RootReport(string EntityId, uint Root);
}
