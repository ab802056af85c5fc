using Microsoft.AspNetCore.Http;
using TopGun.Server.Configuration;

namespace TopGun.Server.Gateway;

/// <summary>Accepts client WebSocket upgrades on the protocol's paths and hands each socket to the <see cref="IConnectionGateway"/>.</summary>
internal static class WebSocketEndpoint
{
    public static readonly string[] Paths = ["/", "/ws"];

    public static async Task HandleAsync(HttpContext context, IConnectionGateway gateway, TopGunSettings settings, IHostApplicationLifetime lifetime)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            context.Response.Headers.Upgrade = "websocket";
            await context.Response.WriteAsync("TopGun speaks its protocol over WebSocket on / and /ws.\n", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        // Per-message deflate stays off: the TS clients never negotiate it and it costs CPU per frame.
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { DangerousEnableCompression = false }).ConfigureAwait(false);
        var info = new ClientConnectionInfo(
            Guid.NewGuid().ToString(),
            context.Connection.RemoteIpAddress,
            context.Connection.RemotePort,
            context.Request.Path.Value ?? "/",
            settings.Limits.MaxFrameBytes);
        using var lifetimeToken = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        await gateway.RunAsync(socket, info, lifetimeToken.Token).ConfigureAwait(false);
    }
}
