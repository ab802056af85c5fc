using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster;
using TopGun.Server.Maps;
using TopGun.Server.Readiness;
using TopGun.Server.Replication;

namespace TopGun.Server.Admin;

/// <summary>
/// What <c>GET /metrics</c> reports for one node: readiness, client connections, cluster membership as this node
/// sees it, map partitions, replication and anti-entropy, and the process. Counters only grow for the life of the
/// process; compare rates, not absolute values, across restarts.
/// </summary>
internal static class NodeMetrics
{
    public static string Render(ActorSystem? system, ReadinessState readiness, int openConnections)
    {
        ArgumentNullException.ThrowIfNull(readiness);
        var text = new PrometheusText()
            .Gauge("topgun_node_ready", "1 when the node answers /ready with 200 (member, shard regions up, journal answering).", readiness.IsReady ? 1 : 0)
            .Gauge("topgun_connections_open", "Client WebSocket connections open on this node.", openConnections);
        if (system is not null) AddCluster(text, system);
        AddProcess(text);
        return text.ToString();
    }

    private static void AddCluster(PrometheusText text, ActorSystem system)
    {
        var state = Cluster.Get(system).State;
        var statuses = Enum.GetValues<MemberStatus>()
            .Select(status => (status.ToString().ToLowerInvariant(), (double)state.Members.Count(m => m.Status == status)));
        var partitions = PartitionStats.Get(system);
        var replication = ReplicationStats.Get(system);
        text.Gauge("topgun_cluster_members", "Cluster members by status, as this node sees them.", "status", statuses)
            .Gauge("topgun_cluster_unreachable_members", "Members this node's failure detector marks unreachable.", state.Unreachable.Count)
            .Gauge("topgun_partitions_active", "Map partitions running on this node (recovered and not passivated).", partitions.Active)
            .Counter("topgun_partition_events_persisted_total", "Journal events written by this node's partitions.", partitions.EventsPersisted)
            .Counter("topgun_partition_changes_total", "Keys changed by those events.", partitions.Changes)
            .Counter("topgun_partition_persist_failures_total", "Journal writes that failed or were rejected (the partition stops and recovers).", partitions.PersistFailures)
            .Counter("topgun_replication_deltas_sent_total", "Deltas sent by owners on this node to their replicas.", replication.DeltasSent)
            .Counter("topgun_replication_records_streamed_total", "Records moved by anti-entropy streams, either role.", replication.RecordsStreamed)
            .Counter("topgun_replication_reconciliations_total", "Anti-entropy rounds finished by this node's replicas.", replication.Reconciliations)
            .Counter("topgun_replication_reconciliations_with_differences_total", "Of those, rounds that found differing records.", replication.ReconciliationsWithDifferences)
            .Counter("topgun_replication_exchange_round_trips_total", "Merkle exchange round trips sent by this node's replicas.", replication.ExchangeRoundTrips);
    }

    private static void AddProcess(PrometheusText text)
    {
        using var process = Process.GetCurrentProcess();
        text.Gauge("process_resident_memory_bytes", "Resident memory of the server process.", process.WorkingSet64)
            .Counter("process_cpu_seconds_total", "User and system CPU time of the server process.", process.TotalProcessorTime.TotalSeconds)
            .Gauge("dotnet_gc_heap_bytes", "Bytes allocated on the managed heap and still referenced or not yet collected.", GC.GetTotalMemory(forceFullCollection: false))
            .Gauge("dotnet_gc_collections", "Garbage collections since the process started, by generation.", "generation",
                Enumerable.Range(0, GC.MaxGeneration + 1).Select(g => (g.ToString(System.Globalization.CultureInfo.InvariantCulture), (double)GC.CollectionCount(g))));
    }
}
