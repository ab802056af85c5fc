using TopGun.EndToEnd.Tests.Support;
using TopGun.LoadGen.Client;

namespace TopGun.EndToEnd.Tests;

/// <summary>Acked means durable: kill -9 the server in the middle of a write storm, restart it, read everything back.</summary>
public sealed class DurabilityTests
{
    private const int Clients = 4;
    private const long AckedBeforeKill = 2_000;
    private static readonly TimeSpan StormTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Acknowledged_writes_survive_kill_9_mid_storm_on_sqlite()
    {
        await using var storage = ServerStorage.Sqlite();
        await KillMidStormAndVerifyAsync(storage);
    }

    [Fact]
    public async Task Acknowledged_writes_survive_kill_9_mid_storm_on_postgresql()
    {
        await using var storage = ServerStorage.Postgres();
        await KillMidStormAndVerifyAsync(storage);
    }

    private static async Task KillMidStormAndVerifyAsync(ServerStorage storage)
    {
        var storm = new WriteStorm("e2e-storm");
        await using (var server = await storage.StartServerAsync())
        {
            var clients = new List<TopGunConnection>();
            try
            {
                for (var c = 0; c < Clients; c++)
                    clients.Add(await TopGunConnection.ConnectAsync(server.Address, HsTokens.Mint(ServerStorage.JwtSecret, $"writer-{c}"), CancellationToken.None));

                var writing = storm.RunAsync(clients);
                var enough = storm.AckedAtLeastAsync(AckedBeforeKill);
                if (await Task.WhenAny(enough, writing, Task.Delay(StormTimeout)) != enough)
                    Assert.Fail($"Only {storm.AckedCount} ops were acknowledged before the storm ended or timed out. Server output:\n{server.Output}");

                await server.KillAsync();
                await writing.WaitAsync(StormTimeout);
            }
            finally
            {
                foreach (var client in clients) await client.DisposeAsync();
            }
            Assert.True(storm.AckedCount >= AckedBeforeKill);
            // Batches in flight at the kill prove it hit a running storm, not a quiet server.
            Assert.True(storm.LostBatches > 0, "No batch was in flight when the server was killed.");
        }

        await using var restarted = await storage.StartServerAsync();
        await DurabilityCheck.AssertAcknowledgedWritesSurvivedAsync(restarted, storm);
    }
}
