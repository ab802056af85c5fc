using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using TopGun.Core.Protocol;
using TopGun.Server.Configuration;
using TopGun.Server.Hosting;
using TopGun.Server.Maps;
using TopGun.Server.Readiness;
using TopGun.Server.Replication;

namespace TopGun.Cluster.Tests.Support;

/// <summary>
/// Several real server nodes (TopGunHost: Kestrel + ActorSystem) in this test process on loopback ports,
/// joined into one Akka cluster through the first node as seed, journaling into one PostgreSQL schema.
/// </summary>
internal sealed class TestCluster : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _dir = new();
    private readonly TestPostgres _postgres = TestPostgres.Create("tg_cluster_", "the cluster tests cannot run (a cluster needs shared PostgreSQL storage)");
    private readonly string _hocon;
    private readonly List<ClusterNode> _nodes = [];

    private TestCluster(string hocon)
    {
        _hocon = hocon;
    }

    public IReadOnlyList<ClusterNode> Nodes => _nodes;

    public IEnumerable<ClusterNode> Running => _nodes.Where(n => !n.Stopped);

    /// <param name="hocon">Extra node config, e.g. a short <c>topgun.replication.anti-entropy-interval</c>.</param>
    public static async Task<TestCluster> StartAsync(int size, string hocon = "")
    {
        var cluster = new TestCluster(hocon);
        try
        {
            await cluster.AddNodeAsync("node-a");
            await Task.WhenAll(Enumerable.Range(1, size - 1).Select(i => cluster.AddNodeAsync("node-" + (char)('a' + i))));
            await cluster.WaitForMembersAsync(size);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async Task<ClusterNode> AddNodeAsync(string name)
    {
        var env = new Dictionary<string, string?>
        {
            ["TOPGUN_DATA_DIR"] = Path.Combine(_dir.Path, name),
            ["TOPGUN_NODE_ID"] = name,
            ["TOPGUN_PORT"] = "0",
            ["TOPGUN_CLUSTER_PORT"] = "0",
            ["TOPGUN_JWT_SECRET"] = TestTokens.Secret,
            ["TOPGUN_STORAGE"] = "postgres",
            ["TOPGUN_POSTGRES"] = _postgres.ConnectionString,
            ["TOPGUN_POSTGRES_SCHEMA"] = _postgres.Schema,
            // Every running node is a seed, so a node restarted after the first one stopped still finds the cluster.
            ["TOPGUN_SEED_NODES"] = string.Join(",", Running.Select(n => $"{n.ClusterAddress.Host}:{n.ClusterAddress.Port}")),
        };
        var extra = ConfigurationFactory.ParseString(
            """
            akka.loglevel = WARNING
            akka.cluster.split-brain-resolver.stable-after = 5s
            akka.cluster.min-nr-of-members = 1
            """ + "\n" + _hocon);
        var deltas = new LossyDeltaLink();
        var app = TopGunHost.Build(NodeConfigurationLoader.Load(env, extra),
            services => services.AddSingleton<IMapReplication>(new MapReplication(deltas)));
        await app.StartAsync();
        await app.Services.GetRequiredService<ReadinessState>().WhenReady.WaitAsync(Timeout);
        var node = new ClusterNode(name, app, deltas);
        lock (_nodes) _nodes.Add(node);
        return node;
    }

    /// <summary>
    /// Waits until every running node sees <paramref name="count"/> members up and the shard coordinator knows
    /// every node's "map" region: before that, new partitions are all allocated to the nodes already registered.
    /// </summary>
    public Task WaitForMembersAsync(int count) => Eventually.Async(async () =>
    {
        foreach (var node in Running)
        {
            var members = Akka.Cluster.Cluster.Get(node.System).State.Members;
            Assert.Equal(count, members.Count(m => m.Status == MemberStatus.Up));
            var regions = await MapRegions.Get(node.System).Partitions.Ask<CurrentRegions>(GetCurrentRegions.Instance, TimeSpan.FromSeconds(5));
            Assert.Equal(count, regions.Regions.Count);
        }
    }, Timeout);

    /// <summary>Graceful stop (SIGTERM path): the node leaves, its partitions hand off.</summary>
    public async Task StopAsync(ClusterNode node)
    {
        node.Stopped = true;
        await node.App.StopAsync();
    }

    /// <summary>
    /// Node loss without a goodbye: the survivors down it (what the split-brain resolver does after
    /// stable-after) and its system is torn down; its partitions restart on the survivors.
    /// </summary>
    public async Task CrashAsync(ClusterNode node)
    {
        node.Stopped = true;
        var address = node.ClusterAddress;
        var survivor = Running.First();
        Akka.Cluster.Cluster.Get(survivor.System).Down(address);
        await node.System.WhenTerminated.WaitAsync(Timeout);
        await node.App.StopAsync();
        await Eventually.Async(() =>
        {
            foreach (var other in Running)
                Assert.DoesNotContain(Akka.Cluster.Cluster.Get(other.System).State.Members, m => m.Address == address);
            return Task.CompletedTask;
        }, Timeout);
    }

    /// <summary>Partition roots of <paramref name="mapName"/> as the owners report them (starting owners where needed).</summary>
    public async Task<IReadOnlyDictionary<string, uint>> OwnerRootsAsync(ClusterNode via, string mapName)
    {
        var roots = new Dictionary<string, uint>(StringComparer.Ordinal);
        foreach (var partition in PartitionKey.All(16))
        {
            var root = await via.Regions.Partitions.Ask<PartitionRoot>(new PartitionEnvelope(mapName, partition, new GetPartitionRoot(1)), Timeout);
            roots[PartitionKey.EntityId(mapName, partition)] = root.Hash;
        }
        return roots;
    }

    /// <summary>Asserts every partition of the map has a replica on a node other than its owner with the owner's root.</summary>
    public async Task AssertReplicasMatchOwnersAsync(string mapName)
    {
        var via = Running.First();
        var owners = await OwnerRootsAsync(via, mapName);
        var hosted = new Dictionary<string, ClusterNode>(StringComparer.Ordinal);
        var replicas = new List<(ClusterNode Node, IReadOnlyDictionary<string, uint> Roots)>();
        foreach (var node in Running)
        {
            foreach (var entity in await node.HostedPartitionsAsync()) hosted[entity] = node;
            replicas.Add((node, await node.ReplicaRootsAsync()));
        }
        foreach (var (entity, root) in owners.Where(o => o.Value != 0))
        {
            Assert.True(hosted.TryGetValue(entity, out var owner), $"{entity} has no owner");
            Assert.Contains(replicas, r => r.Node != owner && r.Roots.TryGetValue(entity, out var replicaRoot) && replicaRoot == root);
        }
    }

    /// <summary>Sends ops through <paramref name="via"/>'s region, grouped by partition, and returns the replies.</summary>
    public static async Task<IReadOnlyList<OpsApplied>> WriteAsync(ClusterNode via, string mapName, IEnumerable<LwwOp> ops, WriteConcern concern)
    {
        var groups = ops.GroupBy(o => PartitionKey.Of(o.Key));
        var replies = await Task.WhenAll(groups.Select((g, i) => via.Regions.Partitions.Ask<OpsApplied>(
            new PartitionEnvelope(mapName, g.Key, new ApplyLwwOps(i + 1, g.ToArray(), concern, "test-writer")), Timeout)));
        return replies;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Enumerable.Reverse(_nodes))
        {
            try
            {
                if (!node.Stopped) await node.App.StopAsync();
                await node.App.DisposeAsync();
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                // Torn down already.
            }
        }
        await _postgres.DisposeAsync();
        _dir.Dispose();
    }
}
