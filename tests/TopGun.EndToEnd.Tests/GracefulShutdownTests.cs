using System.Net.WebSockets;
using TopGun.Core.Protocol;
using TopGun.EndToEnd.Tests.Support;
using TopGun.LoadGen.Client;

namespace TopGun.EndToEnd.Tests;

/// <summary>SIGTERM, as an orchestrator stops a pod: clients are told, writes in flight finish, the process exits cleanly.</summary>
public sealed class GracefulShutdownTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Sigterm_sends_shutdown_pending_closes_1001_exits_0_and_keeps_acknowledged_writes()
    {
        await using var storage = ServerStorage.Sqlite();
        var storm = new WriteStorm("e2e-graceful");
        await using (var server = await storage.StartServerAsync())
        {
            await using var observer = await TopGunConnection.ConnectAsync(server.Address, HsTokens.Mint(ServerStorage.JwtSecret, "observer"), CancellationToken.None);
            await using var writer = await TopGunConnection.ConnectAsync(server.Address, HsTokens.Mint(ServerStorage.JwtSecret, "writer"), CancellationToken.None);

            var writing = storm.RunAsync([writer]);
            await storm.AckedAtLeastAsync(500).WaitAsync(Timeout);
            await server.TerminateAsync();

            using var deadline = new CancellationTokenSource(Timeout);
            await observer.ExpectAsync<ShutdownPendingMessage>(null, deadline.Token);
            await observer.Closed.WaitAsync(Timeout);
            Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, observer.CloseStatus);

            await writing.WaitAsync(Timeout);
            Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, writer.CloseStatus);

            await server.WaitForExitAsync(Timeout);
            Assert.True(server.ExitCode == 0, $"The server exited with {server.ExitCode}. Its output:\n{server.Output}");
        }

        await using var restarted = await storage.StartServerAsync();
        await DurabilityCheck.AssertAcknowledgedWritesSurvivedAsync(restarted, storm);
    }
}
