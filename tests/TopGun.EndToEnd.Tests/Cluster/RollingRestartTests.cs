using System.Diagnostics;
using TopGun.EndToEnd.Tests.Support;
using Xunit.Abstractions;

namespace TopGun.EndToEnd.Tests.Cluster;

/// <summary>
/// Three real server processes on PostgreSQL, restarted one after the other (the seed first) as an orchestrator rolls
/// a deployment: SIGTERM, wait for exit 0, start again with the same node id, ports and data dir, wait until all
/// three are Up, let the write storm through all three nodes go on, next node. Every acknowledged write must be
/// readable afterwards, writes must keep being acknowledged while a node is away, the clients of the restarted node
/// must reconnect and be acknowledged again, and every partition's replica must converge to its owner's root.
/// </summary>
public sealed class RollingRestartTests(ITestOutputHelper output)
{
    private const string MapName = "e2e-rolling";
    private const int PartitionCount = 16;
    private const long AckedBeforeFirstRestart = 1_000;
    private const long AckedAfterEachRestart = 500;

    /// <summary>Smaller than the failover storm's batches: the whole run is read back by Merkle sync at the end.</summary>
    private const int BatchSize = 20;

    private static readonly TimeSpan StormTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ReconnectTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ConvergenceTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Rolling_restart_of_every_node_under_writes_loses_no_acknowledged_op_and_clients_reconnect()
    {
        await using var storage = ServerStorage.Postgres();
        var started = Stopwatch.StartNew();
        await using var cluster = await ProcessCluster.StartAsync(storage, 3, configFile: null);
        output.WriteLine($"3 nodes Up after {started.Elapsed.TotalSeconds:F1} s");

        var storm = new FailoverStorm(MapName, cluster.Nodes, BatchSize);
        var restarts = new List<NodeRestart>();
        storm.Start();
        try
        {
            await storm.AckedAtLeastAsync(AckedBeforeFirstRestart).WaitAsync(StormTimeout);
            foreach (var node in cluster.Nodes)
            {
                var cut = storm.Sessions.Where(s => s.Open && s.Node == node.Name).ToArray();
                Assert.NotEmpty(cut);
                var ackedAtStop = storm.AckedCount;
                var restart = await cluster.RestartAsync(node);
                var ackedWhileAway = storm.AckedCount - ackedAtStop;
                restarts.Add(restart);
                output.WriteLine($"{restart}; {ackedWhileAway} ops acknowledged meanwhile; clients cut: {string.Join(", ", cut.Select(s => s.ToString()))}");
                Assert.True(ackedWhileAway > 0, $"No write was acknowledged while {node.Name} restarted.");

                foreach (var session in cut)
                {
                    await Eventually.Async(() =>
                    {
                        Assert.True(session.Lost, $"{session} was not closed by the stopping node.");
                        Assert.Contains(storm.Sessions, s => s.Client == session.Client && s.Sequence > session.Sequence && s.Acked > 0);
                        return Task.CompletedTask;
                    }, ReconnectTimeout, ProcessCluster.PollEvery);
                }
                await storm.AckedAtLeastAsync(storm.AckedCount + AckedAfterEachRestart).WaitAsync(StormTimeout);
            }
        }
        finally
        {
            await storm.StopAsync();
        }
        output.WriteLine($"storm: {storm.AckedCount} ops acknowledged, {storm.Reconnects} reconnects; sessions: {string.Join(", ", storm.Sessions.Select(s => s.ToString()))}");

        var pulled = await ClusterAssertions.PullAsync(cluster.Nodes[0], MapName);
        ClusterAssertions.AssertPresent(pulled, storm.Acked.ToArray());
        await Eventually.Async(() => ClusterAssertions.AssertReplicasMatchOwnersAsync(cluster.Nodes, MapName, PartitionCount, pulled.ServerRootHash), ConvergenceTimeout, ProcessCluster.PollEvery);
        output.WriteLine($"read back and converged after {started.Elapsed.TotalSeconds:F1} s in all");
    }
}
