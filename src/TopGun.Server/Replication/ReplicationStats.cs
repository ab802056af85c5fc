using Akka.Actor;

namespace TopGun.Server.Replication;

/// <summary>Node-wide replication counters (for metrics and for tests that bound the anti-entropy transfer). Thread-safe.</summary>
internal sealed class ReplicationStats : IExtension
{
    private long _deltasSent;
    private long _recordsStreamed;
    private long _reconciliations;
    private long _reconciliationsWithDifferences;
    private long _exchangeRoundTrips;
    private long _exchangeEntries;

    public static ReplicationStats Get(ActorSystem system) => system.WithExtension<ReplicationStats, ReplicationStatsProvider>();

    public long DeltasSent => Interlocked.Read(ref _deltasSent);

    /// <summary>Records sent over reconciliation streams by this node, in either role.</summary>
    public long RecordsStreamed => Interlocked.Read(ref _recordsStreamed);

    /// <summary>Reconciliations this node's replicas finished.</summary>
    public long Reconciliations => Interlocked.Read(ref _reconciliations);

    /// <summary>Reconciliations that found differing leaves.</summary>
    public long ReconciliationsWithDifferences => Interlocked.Read(ref _reconciliationsWithDifferences);

    /// <summary>Merkle exchange requests this node's replicas sent to owners, each answered once: the round trips anti-entropy costs.</summary>
    public long ExchangeRoundTrips => Interlocked.Read(ref _exchangeRoundTrips);

    /// <summary>
    /// Bucket hashes, differing paths and key digests carried by Merkle exchange messages this node sent, in either
    /// role: the comparison's share of the transfer, which should follow the difference rather than the partition size.
    /// </summary>
    public long ExchangeEntries => Interlocked.Read(ref _exchangeEntries);

    internal void DeltaSent() => Interlocked.Increment(ref _deltasSent);

    internal void Streamed(int records) => Interlocked.Add(ref _recordsStreamed, records);

    internal void ExchangeRequested(int entries)
    {
        Interlocked.Increment(ref _exchangeRoundTrips);
        Interlocked.Add(ref _exchangeEntries, entries);
    }

    internal void ExchangeAnswered(int entries) => Interlocked.Add(ref _exchangeEntries, entries);

    internal void Reconciled(bool hadDifferences)
    {
        Interlocked.Increment(ref _reconciliations);
        if (hadDifferences) Interlocked.Increment(ref _reconciliationsWithDifferences);
    }
}

internal sealed class ReplicationStatsProvider : ExtensionIdProvider<ReplicationStats>
{
    public override ReplicationStats CreateExtension(ExtendedActorSystem system) => new();
}
