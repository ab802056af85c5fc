using TopGun.Server.Admin;
using TopGun.Server.Configuration;
using TopGun.Server.Gateway;
using TopGun.Server.Readiness;

namespace TopGun.Server.Hosting;

/// <summary>The HTTP surface on the client port: liveness, readiness, the read-only admin views and the WebSocket paths.</summary>
internal static class HttpEndpoints
{
    public static WebApplication MapTopGunEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // Liveness: answering at all is the signal; it never depends on the database or the cluster.
        app.MapGet("/health", () => Results.Json(new { status = "ok" }));

        // Readiness: 503 while starting, and again whenever the periodic journal probe fails (the database is gone).
        app.MapGet("/ready", (ReadinessState readiness) => readiness.IsReady
            ? Results.Json(new { status = "ready", checks = readiness.Snapshot() })
            : Results.Json(
                new { status = readiness.HasBeenReady ? "unavailable" : "starting", checks = readiness.Snapshot(), journalError = readiness.JournalFailure },
                statusCode: StatusCodes.Status503ServiceUnavailable));

        app.MapTopGunAdminEndpoints();

        foreach (var path in WebSocketEndpoint.Paths)
        {
            app.Map(path, (HttpContext context, IConnectionGateway gateway, TopGunSettings settings, IHostApplicationLifetime lifetime) =>
                WebSocketEndpoint.HandleAsync(context, gateway, settings, lifetime));
        }
        return app;
    }
}
