using Akka.Configuration;
using TopGun.Server.Configuration;

namespace TopGun.Server.Replication;

/// <summary>The <c>topgun.replication</c> section: replica count, anti-entropy cadence and the timeouts around them. Immutable.</summary>
internal sealed record ReplicationSettings
{
    /// <summary>Replicas per partition on other nodes; 0 turns replication (and REPLICATED acks) off.</summary>
    public required int BackupCount { get; init; }

    /// <summary>How often a replica compares its Merkle tree with the owner's.</summary>
    public required TimeSpan AntiEntropyInterval { get; init; }

    /// <summary>How long a REPLICATED write waits for a replica's confirmation before it is answered with the level it did reach.</summary>
    public required TimeSpan ReplicaAckTimeout { get; init; }

    /// <summary>How long a recovered owner waits for the replicas' reconciliation before it serves anyway.</summary>
    public required TimeSpan ReconcileTimeout { get; init; }

    /// <summary>How long a replica whose owner died is kept for the next owner to reconcile with.</summary>
    public required TimeSpan OrphanRetention { get; init; }

    /// <summary>Records per element of a reconciliation stream.</summary>
    public required int StreamChunkSize { get; init; }

    public static ReplicationSettings FromConfig(Config config)
    {
        var c = TopGunConfig.Section(config, "topgun.replication");
        var result = new ReplicationSettings
        {
            BackupCount = c.Int("backup-count"),
            AntiEntropyInterval = c.PositiveDuration("anti-entropy-interval"),
            ReplicaAckTimeout = c.Duration("replica-ack-timeout"),
            ReconcileTimeout = c.Duration("reconcile-timeout"),
            OrphanRetention = c.Duration("orphan-retention"),
            StreamChunkSize = c.PositiveInt("stream-chunk-size"),
        };
        if (result.BackupCount < 0) throw c.Invalid("backup-count", "must be 0 or more", result.BackupCount);
        return result;
    }

    public ReplicationSettings WithBackupCount(int count) => this with { BackupCount = count };

    public ReplicationSettings WithAntiEntropyInterval(TimeSpan interval) => this with { AntiEntropyInterval = interval };
}
