using TopGun.LoadGen.Client;

namespace TopGun.EndToEnd.Tests.Support;

/// <summary>
/// Reads the storm's map back from a (restarted) server by Merkle pull and checks the durability promise:
/// every acknowledged op is present with its value, or superseded by a later write of the same key that
/// some client really sent.
/// </summary>
public static class DurabilityCheck
{
    public static readonly TimeSpan PullTimeout = TimeSpan.FromSeconds(30);

    public static async Task AssertAcknowledgedWritesSurvivedAsync(ServerProcess server, WriteStorm storm)
    {
        await using var reader = await TopGunConnection.ConnectAsync(server.Address, HsTokens.Mint(ServerStorage.JwtSecret, "e2e-reader"), CancellationToken.None);
        using var timeout = new CancellationTokenSource(PullTimeout);
        var pulled = await MerklePull.PullAsync(reader, storm.MapName, timeout.Token);

        // The pulled records rebuild the same tree the server announced: nothing was missed on the way down.
        Assert.Equal(pulled.ServerRootHash, pulled.Map.Merkle.RootHash);

        var violations = new List<string>();
        foreach (var op in storm.Acked)
        {
            var acked = op.Record!;
            var stored = pulled.Map.GetRecord(op.Key);
            if (stored is null)
                violations.Add($"{op.Id}: key {op.Key} is missing (acked at {acked.Timestamp})");
            else if (stored.Timestamp == acked.Timestamp && stored.Value != acked.Value)
                violations.Add($"{op.Id}: key {op.Key} has another value at the acked timestamp {acked.Timestamp}");
            else if (stored.Timestamp < acked.Timestamp)
                violations.Add($"{op.Id}: key {op.Key} went back to {stored.Timestamp}, older than the acked {acked.Timestamp}");
            else if (stored.Timestamp > acked.Timestamp && (!storm.TryGetSent(op.Key, stored.Timestamp, out var later) || later.Value != stored.Value))
                violations.Add($"{op.Id}: key {op.Key} holds {stored.Timestamp}, which no client wrote");
        }
        Assert.True(violations.Count == 0,
            $"{violations.Count} of {storm.Acked.Count} acknowledged ops did not survive the restart:\n" + string.Join("\n", violations.Take(20)));
    }
}
