using System.Collections.Concurrent;
using System.Diagnostics;
using TopGun.Core.Clock;
using TopGun.Core.Merkle;
using TopGun.Core.Protocol;
using TopGun.LoadGen.Client;

namespace TopGun.EndToEnd.Tests.Cluster;

/// <summary>
/// Measures failover: from the kill, sends a one-op batch for each of the killed node's partitions every
/// <see cref="Interval"/> through each survivor, and records when each partition first acknowledges a write
/// through each of them (a survivor's shard region learns of the new shard homes on its own).
/// Batches are not awaited one by one, so a write lost in the dead node's mailbox does not delay the next probe.
/// </summary>
public sealed class FailoverProbe
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly string _mapName;
    private readonly Stopwatch _sinceKill;
    private readonly ConcurrentDictionary<(string Node, string Partition), TimeSpan> _servedAfter = new();
    private readonly ConcurrentQueue<ClientOp> _acked = new();
    private readonly Hlc _clock = new("e2e-probe");
    private long _seq;

    public FailoverProbe(string mapName, IEnumerable<string> partitions, Stopwatch sinceKill)
    {
        _mapName = mapName;
        Partitions = partitions.ToArray();
        _sinceKill = sinceKill;
    }

    public IReadOnlyList<string> Partitions { get; }

    /// <summary>Per survivor and partition of the killed node: time from the kill to its first acknowledged write through that survivor.</summary>
    public IReadOnlyDictionary<(string Node, string Partition), TimeSpan> ServedAfter => _servedAfter;

    /// <summary>Per partition: time from the kill to its first acknowledged write through any survivor (the failover time).</summary>
    public IReadOnlyDictionary<string, TimeSpan> FirstServedAfter =>
        _servedAfter.GroupBy(s => s.Key.Partition).ToDictionary(g => g.Key, g => g.Min(s => s.Value), StringComparer.Ordinal);

    /// <summary>The probe writes that were acknowledged; they count as acknowledged writes like the storm's.</summary>
    public IReadOnlyCollection<ClientOp> Acked => _acked;

    /// <summary>Probes until every partition answered through every connection or <paramref name="timeout"/> passed; waits for the answers in flight.</summary>
    public async Task RunAsync(IReadOnlyDictionary<string, TopGunConnection> connections, TimeSpan timeout)
    {
        var inFlight = new List<Task>();
        var deadline = _sinceKill.Elapsed + timeout;
        while (_servedAfter.Count < Partitions.Count * connections.Count && _sinceKill.Elapsed < deadline)
        {
            foreach (var (node, connection) in connections.Where(c => !c.Value.Closed.IsCompleted))
            {
                foreach (var partition in Partitions.Where(p => !_servedAfter.ContainsKey((node, p))))
                    inFlight.Add(ProbeAsync(node, connection, partition));
            }
            await Task.Delay(Interval);
        }
        await Task.WhenAll(inFlight);
    }

    private async Task ProbeAsync(string node, TopGunConnection connection, string partition)
    {
        var key = KeyIn(partition);
        var op = WriteOps.Put(_clock, _mapName, key, key, WriteOps.Todo(0));
        var outcome = await connection.SendBatchAsync([op]);
        if (!outcome.SucceededOps().Any()) return;
        var elapsed = _sinceKill.Elapsed;
        _acked.Enqueue(op);
        _servedAfter.AddOrUpdate((node, partition), elapsed, (_, first) => first < elapsed ? first : elapsed);
    }

    /// <summary>A fresh key whose Merkle path starts with the partition's hex digit(s), i.e. a key that partition owns.</summary>
    private string KeyIn(string partition)
    {
        while (true)
        {
            var key = "probe-" + Interlocked.Increment(ref _seq);
            if (MerkleTree.PathOf(key).StartsWith(partition, StringComparison.Ordinal)) return key;
        }
    }
}
