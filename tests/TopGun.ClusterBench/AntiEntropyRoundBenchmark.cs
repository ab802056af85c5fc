using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using TopGun.Cluster.Tests.Support;
using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Merkle;
using TopGun.Core.Protocol;
using TopGun.Core.Values;
using TopGun.Server.Maps;
using TopGun.Server.Replication;

namespace TopGun.ClusterBench;

/// <summary>
/// One anti-entropy round of a large partition on a real two-node cluster: the owner holds every key of one
/// partition, its replica on the other node misses the deltas of the differing writes (the
/// <see cref="LossyDeltaLink"/> of each test node, as on a lossy network), and the round runs from the
/// replica's trigger until its Merkle root equals the owner's.
/// </summary>
public static class AntiEntropyRoundBenchmark
{
    private const string MapName = "bench";
    private const string Partition = "0";
    private const int WriteBatch = 1000;
    private static readonly TimeSpan RoundTimeout = TimeSpan.FromSeconds(60);

    public static async Task RunAsync(AntiEntropyRoundOptions options, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        var entityId = PartitionKey.EntityId(MapName, Partition);
        // Periodic rounds and passivation are pushed out of the run, so the only rounds are the measured ones.
        await using var cluster = await TestCluster.StartAsync(2, """
            topgun.replication.anti-entropy-interval = 1h
            topgun.maps.passivate-after = 1h
            """);
        var clock = new Hlc("bench-writer");
        var writer = cluster.Nodes[0];

        var keys = KeysInPartition("item-", 0, options.Keys);
        var load = Stopwatch.StartNew();
        foreach (var batch in keys.Chunk(WriteBatch))
            await TestCluster.WriteAsync(writer, MapName, batch.Select(k => Op(clock, k, 0)), WriteConcern.Persisted);
        await Eventually.Async(() => cluster.AssertReplicasMatchOwnersAsync(MapName), TestCluster.Timeout);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"loaded {keys.Count} keys into partition {entityId} and its replica in {load.Elapsed.TotalSeconds:F1} s"));

        var ownerNode = await FirstAsync(cluster.Nodes, async n => (await n.HostedPartitionsAsync()).Contains(entityId));
        var replicaNode = await FirstAsync(cluster.Nodes, async n => n != ownerNode && (await n.ReplicaRootsAsync()).ContainsKey(entityId));
        // Resolved from the replica's node, so the round talks to the owner over remoting as a real one does.
        var owner = await FindOwnerAsync(replicaNode.System, replicaNode.Regions.Partitions, MapName, Partition, TestCluster.Timeout);
        var replicaHost = replicaNode.System.ActorSelection("/user/" + PartitionReplication.HostName);
        await output.WriteLineAsync($"owner on {ownerNode.Name}, replica on {replicaNode.Name}");

        var random = new Random(42);
        var changedCount = options.Differing * 6 / 10;
        var results = new List<RoundResult>();
        // Round 0 warms up the JIT and the remoting paths and is not counted.
        for (var round = 0; round <= options.Rounds; round++)
        {
            var changed = keys.OrderBy(_ => random.Next()).Take(changedCount).Select(k => Op(clock, k, round + 1));
            var added = KeysInPartition($"new-{round}-", 0, options.Differing - changedCount).Select(k => Op(clock, k, round + 1));
            foreach (var node in cluster.Nodes) node.Deltas.Drop = true;
            await TestCluster.WriteAsync(writer, MapName, changed.Concat(added), WriteConcern.Persisted);
            foreach (var node in cluster.Nodes) node.Deltas.Drop = false;
            if (await OwnerRootAsync(replicaNode) == await ReplicaRootAsync(replicaNode, entityId))
                throw new InvalidOperationException("The replica did not miss the differing writes; nothing to measure.");

            var streamedBefore = cluster.Nodes.Sum(n => n.Stats.RecordsStreamed);
            var tripsBefore = cluster.Nodes.Sum(n => n.Stats.ExchangeRoundTrips);
            var entriesBefore = cluster.Nodes.Sum(n => n.Stats.ExchangeEntries);
            var watch = Stopwatch.StartNew();
            var finished = await replicaHost.Ask<ReconcileFinished>(new ReconcileWithOwner(entityId, owner, CreateIfMissing: false), RoundTimeout);
            if (!finished.Succeeded) throw new InvalidOperationException($"Round {round} did not finish: {finished}");
            while (await OwnerRootAsync(replicaNode) != await ReplicaRootAsync(replicaNode, entityId))
            {
                if (watch.Elapsed > RoundTimeout) throw new TimeoutException($"Round {round}: the replica did not converge.");
                await Task.Delay(5);
            }
            watch.Stop();

            var result = new RoundResult(
                round,
                watch.Elapsed.TotalMilliseconds,
                cluster.Nodes.Sum(n => n.Stats.RecordsStreamed) - streamedBefore,
                cluster.Nodes.Sum(n => n.Stats.ExchangeRoundTrips) - tripsBefore,
                cluster.Nodes.Sum(n => n.Stats.ExchangeEntries) - entriesBefore,
                finished.RecordsReceived,
                finished.RecordsSent);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"round {round}{(round == 0 ? " (warm-up)" : "")}: {result.Milliseconds:F1} ms, {result.RecordsStreamed} records streamed " +
                $"(owner→replica {result.RecordsReceived}, replica→owner {result.RecordsSent}), {result.ExchangeRoundTrips} exchange round trips carrying {result.ExchangeEntries} hashes/digests"));
            if (round > 0) results.Add(result);
        }

        var times = results.Select(r => r.Milliseconds).Order().ToArray();
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{options.Keys} keys, {options.Differing} differing, {results.Count} rounds: median {Median(times):F1} ms, min {times[0]:F1} ms, max {times[^1]:F1} ms; " +
            $"records streamed per round {results.Min(r => r.RecordsStreamed)}–{results.Max(r => r.RecordsStreamed)}, " +
            $"exchange round trips per round {results.Min(r => r.ExchangeRoundTrips)}–{results.Max(r => r.ExchangeRoundTrips)}, " +
            $"hashes/digests per round {results.Min(r => r.ExchangeEntries)}–{results.Max(r => r.ExchangeEntries)}"));
    }

    /// <summary>The first <paramref name="count"/> keys <c>{prefix}{i}</c> whose Merkle path starts with the measured partition's digit.</summary>
    private static List<string> KeysInPartition(string prefix, int start, int count)
    {
        var keys = new List<string>(count);
        for (var i = start; keys.Count < count; i++)
        {
            var key = prefix + i.ToString(CultureInfo.InvariantCulture);
            if (MerkleTree.PathOf(key).StartsWith(Partition, StringComparison.Ordinal)) keys.Add(key);
        }
        return keys;
    }

    private static LwwOp Op(Hlc clock, string key, int value) => new(null, key, new LwwRecord(Value.Of(value), clock.Now()));

    private static async Task<IActorRef> FindOwnerAsync(ActorSystem system, IActorRef region, string mapName, string partition, TimeSpan timeout)
    {
        var owner = new TaskCompletionSource<IActorRef>(TaskCreationOptions.RunContinuationsAsynchronously);
        system.ActorOf(Props.Create(() => new OwnerProbe(region, mapName, partition, owner)));
        return await owner.Task.WaitAsync(timeout);
    }

    private static async Task<uint> OwnerRootAsync(ClusterNode via) =>
        (await via.Regions.Partitions.Ask<PartitionRoot>(new PartitionEnvelope(MapName, Partition, new GetPartitionRoot(0)), TestCluster.Timeout)).Hash;

    private static async Task<uint> ReplicaRootAsync(ClusterNode node, string entityId) =>
        (await node.ReplicaRootsAsync()).GetValueOrDefault(entityId);

    private static async Task<ClusterNode> FirstAsync(IEnumerable<ClusterNode> nodes, Func<ClusterNode, Task<bool>> predicate)
    {
        foreach (var node in nodes)
            if (await predicate(node)) return node;
        throw new InvalidOperationException("No node matches.");
    }

    private static double Median(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}
