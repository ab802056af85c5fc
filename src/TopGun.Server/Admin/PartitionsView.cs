using Akka.Actor;
using Akka.Cluster.Sharding;
using TopGun.Server.Maps;
using TopGun.Server.Replication;

namespace TopGun.Server.Admin;

/// <summary>
/// JSON shape of <c>GET /admin/partitions?map=NAME</c>: the partitions of one map this node owns right now
/// and the replicas of that map's partitions it holds, each with its Merkle root. An owner and its replicas
/// are in sync when their roots are equal; a partition nobody touched since startup is not listed.
/// </summary>
internal sealed record PartitionsView(string Node, string Address, string Map, IReadOnlyList<PartitionRootView> Owned, IReadOnlyList<PartitionRootView> Replicas)
{
    public static async Task<PartitionsView> OfAsync(ActorSystem system, string nodeId, string mapName, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var region = MapRegions.Get(system).Partitions;
        var state = await region.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, timeout, cancellationToken).ConfigureAwait(false);
        var owned = state.Shards
            .SelectMany(s => s.EntityIds)
            .Select(PartitionMessageExtractor.Parse)
            .Where(p => p.MapName == mapName)
            .Select(p => p.Partition)
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        // The entities are local, so the region delivers these without a network hop.
        var roots = await Task.WhenAll(owned.Select((partition, i) =>
            region.Ask<PartitionRoot>(new PartitionEnvelope(mapName, partition, new GetPartitionRoot(i + 1)), timeout, cancellationToken))).ConfigureAwait(false);

        // A node with backup-count 0 (or without cluster support) runs no replica host; asking the empty
        // selection would only wait out the timeout, so look the host up first.
        var identity = await system.ActorSelection("/user/" + PartitionReplication.HostName)
            .Ask<ActorIdentity>(new Identify(null), timeout, cancellationToken).ConfigureAwait(false);
        var replicaRoots = identity.Subject is { } host
            ? (await host.Ask<ReplicaRoots>(GetReplicaRoots.Instance, timeout, cancellationToken).ConfigureAwait(false)).Roots
            : new Dictionary<string, uint>();
        var replicas = replicaRoots
            .Select(r => (Parsed: PartitionMessageExtractor.Parse(r.Key), Root: r.Value))
            .Where(r => r.Parsed.MapName == mapName)
            .Select(r => new PartitionRootView(r.Parsed.Partition, PartitionKey.EntityId(mapName, r.Parsed.Partition), r.Root));

        return new PartitionsView(
            nodeId,
            Akka.Cluster.Cluster.Get(system).SelfAddress.ToString(),
            mapName,
            roots.Select(r => new PartitionRootView(r.Partition, PartitionKey.EntityId(mapName, r.Partition), r.Hash)).OrderBy(v => v.Partition, StringComparer.Ordinal).ToArray(),
            replicas.OrderBy(v => v.Partition, StringComparer.Ordinal).ToArray());
    }
}

/// <summary>One partition (hex name and sharding entity id) with its Merkle root; 0 = empty.</summary>
internal sealed record PartitionRootView(string Partition, string EntityId, uint Root);
