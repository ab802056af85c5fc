using System.Diagnostics;
using System.Globalization;
using TopGun.EndToEnd.Tests.Support;

namespace TopGun.EndToEnd.Tests.Cluster;

/// <summary>
/// Three TopGun.Server processes on one PostgreSQL schema, configured like docs/deploy.md: every node lists the
/// same two seeds (the first two nodes' remoting ports), so the first forms the cluster and the others join it,
/// and a restarted seed finds the running cluster through the other seed instead of forming a new one alone.
/// Client and remoting ports are fixed up front, so a restarted node comes back on the addresses clients know.
/// </summary>
public sealed class ProcessCluster : IAsyncDisposable
{
    public static readonly TimeSpan MembershipTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Generous: a graceful stop hands off the node's partitions and waits shutdown-grace for clients' in-flight writes.</summary>
    public static readonly TimeSpan GracefulExitTimeout = TimeSpan.FromSeconds(60);

    /// <summary>How often the end-to-end waits poll: slower than in-process, each poll is HTTP or a client session against a process.</summary>
    public static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(500);

    private const int SeedCount = 2;

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
            // Chosen up front: the seed addresses have to be known before the first node starts, and a restart reuses them.
            var ports = ServerProcess.FreePorts(2 * nodes);
            var seeds = string.Join(",", ports.Take(Math.Min(SeedCount, nodes)).Select(p => $"127.0.0.1:{p.ToString(CultureInfo.InvariantCulture)}"));
            // The first seed forms the cluster alone only after seed-node-timeout finds no other seed up; the rest join it.
            cluster._nodes.Add(await cluster.StartNodeAsync("n1", ports[0], ports[nodes], seeds, configFile));
            var joiners = await Task.WhenAll(Enumerable.Range(1, nodes - 1).Select(i => cluster.StartNodeAsync($"n{i + 1}", ports[i], ports[nodes + i], seeds, configFile)));
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
        try
        {
            await Eventually.Async(async () =>
            {
                last = await via.ClusterViewAsync();
                Assert.Equal(count, last.Members.Count(m => m is { Status: "Up", Reachable: true }));
                Assert.Equal(count, last.Members.Count);
            }, MembershipTimeout, PollEvery);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var seen = last is null ? "nothing" : string.Join(", ", last.Members.Select(m => $"{m.Address} {m.Status}{(m.Reachable ? "" : " unreachable")}"));
            Assert.Fail($"{via.Name} did not see {count} Up members within {MembershipTimeout}; it last saw {seen}: {e.Message}");
        }
        return last!;
    }

    /// <summary>
    /// Rolls one node: graceful stop, start again with the same id, ports and data dir, then wait until every node
    /// (the restarted one included, so a restarted seed that formed a cluster of its own is caught) sees all nodes Up.
    /// </summary>
    public async Task<NodeRestart> RestartAsync(ClusterNodeProcess node)
    {
        var (stopToExit, startToReady) = await node.RestartAsync(GracefulExitTimeout);
        var sinceReady = Stopwatch.StartNew();
        foreach (var member in _nodes) await WaitForUpMembersAsync(member, _nodes.Count);
        return new NodeRestart(node.Name, stopToExit, startToReady, sinceReady.Elapsed);
    }

    private async Task<ClusterNodeProcess> StartNodeAsync(string name, int clusterPort, int clientPort, string seeds, string? configFile)
    {
        var environment = new Dictionary<string, string>(_storage.Environment())
        {
            ["TOPGUN_NODE_ID"] = "e2e-" + name,
            ["TOPGUN_DATA_DIR"] = Path.Combine(_storage.DataDir, name),
            ["TOPGUN_PORT"] = clientPort.ToString(CultureInfo.InvariantCulture),
            ["TOPGUN_CLUSTER_PORT"] = clusterPort.ToString(CultureInfo.InvariantCulture),
            ["TOPGUN_SEED_NODES"] = seeds,
        };
        if (configFile is not null) environment["TOPGUN_CONFIG"] = configFile;
        Directory.CreateDirectory(environment["TOPGUN_DATA_DIR"]);
        return new ClusterNodeProcess(name, clusterPort, environment, await ServerProcess.StartAsync(environment), _http);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes) await node.Server.DisposeAsync();
        _http.Dispose();
    }
}
