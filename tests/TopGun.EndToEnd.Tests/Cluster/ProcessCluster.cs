using System.Net;
using System.Net.Sockets;
using TopGun.EndToEnd.Tests.Support;

namespace TopGun.EndToEnd.Tests.Cluster;

/// <summary>
/// Three TopGun.Server processes on one PostgreSQL schema, configured like docs/deploy.md: every node lists
/// the first node's remoting port as its only seed, so the first forms the cluster and the others join it.
/// </summary>
public sealed class ProcessCluster : IAsyncDisposable
{
    public static readonly TimeSpan MembershipTimeout = TimeSpan.FromSeconds(60);

    private readonly ServerStorage _storage;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(15) };
    private readonly List<ClusterNodeProcess> _nodes = [];

    private ProcessCluster(ServerStorage storage) => _storage = storage;

    public IReadOnlyList<ClusterNodeProcess> Nodes => _nodes;

    public IEnumerable<ClusterNodeProcess> Survivors => _nodes.Where(n => !n.Killed);

    /// <param name="configFile">HOCON for TOPGUN_CONFIG (null = the shipped defaults).</param>
    public static async Task<ProcessCluster> StartAsync(ServerStorage storage, int nodes, string? configFile)
    {
        var cluster = new ProcessCluster(storage);
        try
        {
            // Chosen up front: the seed address has to be known before the first node starts.
            var ports = FreePorts(nodes);
            var seed = $"127.0.0.1:{ports[0]}";
            cluster._nodes.Add(await cluster.StartNodeAsync("n1", ports[0], seed, configFile));
            var joiners = await Task.WhenAll(Enumerable.Range(1, nodes - 1).Select(i => cluster.StartNodeAsync($"n{i + 1}", ports[i], seed, configFile)));
            cluster._nodes.AddRange(joiners);
            await cluster.WaitForUpMembersAsync(cluster._nodes[0], nodes);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Polls <c>/admin/cluster</c> until <paramref name="via"/> sees exactly <paramref name="count"/> reachable Up members.</summary>
    public async Task<AdminClusterView> WaitForUpMembersAsync(ClusterNodeProcess via, int count)
    {
        AdminClusterView? last = null;
        await Eventually.Async(async () =>
        {
            last = await via.ClusterViewAsync();
            Assert.Equal(count, last.Members.Count(m => m is { Status: "Up", Reachable: true }));
            Assert.Equal(count, last.Members.Count);
        }, MembershipTimeout);
        return last!;
    }

    private async Task<ClusterNodeProcess> StartNodeAsync(string name, int clusterPort, string seed, string? configFile)
    {
        var environment = new Dictionary<string, string>(_storage.Environment())
        {
            ["TOPGUN_NODE_ID"] = "e2e-" + name,
            ["TOPGUN_DATA_DIR"] = Path.Combine(_storage.DataDir, name),
            ["TOPGUN_CLUSTER_PORT"] = clusterPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["TOPGUN_SEED_NODES"] = seed,
        };
        if (configFile is not null) environment["TOPGUN_CONFIG"] = configFile;
        Directory.CreateDirectory(environment["TOPGUN_DATA_DIR"]);
        return new ClusterNodeProcess(name, clusterPort, await ServerProcess.StartAsync(environment), _http);
    }

    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        try
        {
            foreach (var l in listeners) l.Start();
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var l in listeners) l.Stop();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes) await node.Server.DisposeAsync();
        _http.Dispose();
    }
}
