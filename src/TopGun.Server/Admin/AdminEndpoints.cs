using Akka.Actor;
using TopGun.Server.Configuration;
using TopGun.Server.Gateway;
using TopGun.Server.Maps;
using TopGun.Server.Readiness;
using TopGun.Server.Node;

namespace TopGun.Server.Admin;

/// <summary>
/// Read-only operator views of one node: <c>GET /admin/cluster</c> (members, status, roles) and
/// <c>GET /admin/partitions?map=NAME</c> (the map's partitions this node owns and the replicas it holds,
/// with their Merkle roots), and <c>GET /metrics</c> (Prometheus text, <see cref="NodeMetrics"/>). They expose
/// topology, hashes and counts, never values, and answer only loopback callers unless <c>topgun.admin.allow-remote = on</c>.
/// </summary>
internal static class AdminEndpoints
{
    /// <summary>Longest wait for the shard region, a partition or the replica host before the request fails with 503.</summary>
    public static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);

    public static WebApplication MapTopGunAdminEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var node = app.Services.GetRequiredService<NodeConfiguration>();
        var admin = AdminSettings.FromConfig(node.Config);

        app.MapGet("/admin/cluster", (HttpContext context, ActorSystemService actors) =>
        {
            if (!IsAllowed(context, admin)) return Forbidden();
            if (RunningSystem(actors) is not { } system) return NotStarted();
            return Results.Json(ClusterView.Of(system));
        });

        app.MapGet("/metrics", (HttpContext context, ActorSystemService actors, ReadinessState readiness, IConnectionGateway gateway) =>
        {
            if (!IsAllowed(context, admin)) return Forbidden();
            var open = (gateway as ConnectionGateway)?.OpenConnections ?? 0;
            return Results.Text(NodeMetrics.Render(RunningSystem(actors), readiness, open), PrometheusText.ContentType);
        });

        app.MapGet("/admin/partitions", async (HttpContext context, ActorSystemService actors, string? map) =>
        {
            if (!IsAllowed(context, admin)) return Forbidden();
            if (string.IsNullOrEmpty(map)) return Results.Json(new { error = "the query parameter 'map' is required" }, statusCode: StatusCodes.Status400BadRequest);
            if (RunningSystem(actors) is not { } system || !MapRegions.Get(system).IsStarted) return NotStarted();
            try
            {
                return Results.Json(await PartitionsView.OfAsync(system, node.Settings.NodeId, map, AskTimeout, context.RequestAborted).ConfigureAwait(false));
            }
            catch (AskTimeoutException e)
            {
                return Results.Json(new { error = "the node did not answer in time: " + e.Message }, statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        });
        return app;
    }

    /// <summary>Loopback only by default: the views reveal topology, which an outside caller has no business mapping.</summary>
    private static bool IsAllowed(HttpContext context, AdminSettings admin) =>
        AdminAccess.IsAllowed(context.Connection.RemoteIpAddress, admin);

    private static IResult Forbidden() =>
        Results.Json(new { error = "admin endpoints answer loopback callers only; set topgun.admin.allow-remote = on to open them" }, statusCode: StatusCodes.Status403Forbidden);

    private static IResult NotStarted() =>
        Results.Json(new { error = "the node is still starting" }, statusCode: StatusCodes.Status503ServiceUnavailable);

    private static ActorSystem? RunningSystem(ActorSystemService actors)
    {
        try
        {
            return actors.System;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
