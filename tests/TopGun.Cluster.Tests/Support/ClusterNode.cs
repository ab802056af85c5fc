using Akka.Actor;
using Akka.Cluster;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using TopGun.Server.Hosting;
using TopGun.Server.Maps;
using TopGun.Server.Replication;
using TopGun.Server.Node;

namespace TopGun.Cluster.Tests.Support;

/// <summary>One in-process server node of a <see cref="TestCluster"/>: Kestrel on a free port plus its ActorSystem.</summary>
internal sealed class ClusterNode(string name, WebApplication app, LossyDeltaLink deltas)
{
    public string Name { get; } = name;

    public WebApplication App { get; } = app;

    public ActorSystem System => App.Services.GetRequiredService<ActorSystemService>().System;

    public Akka.Actor.Address ClusterAddress => Akka.Cluster.Cluster.Get(System).SelfAddress;

    public Uri WebSocketAddress => App.WebSocketAddress();

    public MapRegions Regions => MapRegions.Get(System);

    /// <summary>The link this node's owners send deltas through; set <see cref="LossyDeltaLink.Drop"/> to lose them.</summary>
    public LossyDeltaLink Deltas { get; } = deltas;

    public ReplicationStats Stats => ReplicationStats.Get(System);

    public bool Stopped { get; internal set; }

    /// <summary>Roots of the replicas this node holds, by partition entity id.</summary>
    public async Task<IReadOnlyDictionary<string, uint>> ReplicaRootsAsync() =>
        (await System.ActorSelection("/user/" + PartitionReplication.HostName).Ask<ReplicaRoots>(GetReplicaRoots.Instance, TimeSpan.FromSeconds(15))).Roots;

    /// <summary>Partition entity ids this node's "map" region hosts right now.</summary>
    public async Task<IReadOnlySet<string>> HostedPartitionsAsync()
    {
        var state = await Regions.Partitions.Ask<Akka.Cluster.Sharding.CurrentShardRegionState>(Akka.Cluster.Sharding.GetShardRegionState.Instance, TimeSpan.FromSeconds(15));
        return state.Shards.SelectMany(s => s.EntityIds).ToHashSet(StringComparer.Ordinal);
    }
}
