using System.Globalization;
using TopGun.Core.Protocol;
using TopGun.EndToEnd.Tests.Support;
using TopGun.LoadGen.Client;

namespace TopGun.EndToEnd.Tests.Cluster;

/// <summary>What the process-level cluster tests check after a disruption: acknowledged ops readable, replicas converged.</summary>
public static class ClusterAssertions
{
    /// <summary>Reads the whole map through <paramref name="node"/> by Merkle sync, as a client would after reconnecting.</summary>
    public static async Task<PulledMap> PullAsync(ClusterNodeProcess node, string mapName)
    {
        await using var reader = await TopGunConnection.ConnectAsync(node.Address, HsTokens.Mint(ServerStorage.JwtSecret, "e2e-reader"), CancellationToken.None);
        using var timeout = new CancellationTokenSource(DurabilityCheck.PullTimeout);
        var pulled = await MerklePull.PullAsync(reader, mapName, timeout.Token);
        Assert.Equal(pulled.ServerRootHash, pulled.Map.Merkle.RootHash);
        return pulled;
    }

    /// <summary>Every key is written once, so an acknowledged op must be stored exactly as sent.</summary>
    public static void AssertPresent(PulledMap pulled, IReadOnlyList<ClientOp> acked)
    {
        var violations = new List<string>();
        foreach (var op in acked)
        {
            var stored = pulled.Map.GetRecord(op.Key);
            if (stored is null) violations.Add($"{op.Key} is missing (acked at {op.Record!.Timestamp})");
            else if (stored.Timestamp != op.Record!.Timestamp || stored.Value != op.Record.Value) violations.Add($"{op.Key} holds {stored.Timestamp}, acked was {op.Record.Timestamp}");
        }
        Assert.True(violations.Count == 0,
            $"{violations.Count} of {acked.Count} acknowledged ops are not in the map read back from the cluster:\n" + string.Join("\n", violations.Take(20)));
    }

    /// <summary>
    /// Each partition has exactly one owner among <paramref name="nodes"/>, a replica on another of them with the
    /// owner's root, and the owners' roots add up to the root the map answered the reader with.
    /// </summary>
    public static async Task AssertReplicasMatchOwnersAsync(IEnumerable<ClusterNodeProcess> nodes, string mapName, int partitionCount, uint mapRoot)
    {
        var views = await Task.WhenAll(nodes.Select(n => n.PartitionsAsync(mapName)));
        var owners = views.SelectMany(v => v.Owned.Select(o => (View: v, Owned: o))).ToArray();
        var all = Enumerable.Range(0, partitionCount).Select(i => i.ToString("x1", CultureInfo.InvariantCulture));
        Assert.Equal(all, owners.Select(o => o.Owned.Partition).Order(StringComparer.Ordinal));

        foreach (var (view, owned) in owners)
        {
            var replicas = views.Where(v => v != view).SelectMany(v => v.Replicas).Where(r => r.Partition == owned.Partition).ToArray();
            Assert.True(replicas.Length > 0, $"{owned.EntityId} (owned by {view.Node}) has no replica on another node");
            Assert.All(replicas, r => Assert.True(r.Root == owned.Root, $"{owned.EntityId}: owner {view.Node} root {owned.Root}, replica root {r.Root}"));
        }
        Assert.Equal(mapRoot, unchecked((uint)owners.Sum(o => (long)o.Owned.Root)));
    }
}
