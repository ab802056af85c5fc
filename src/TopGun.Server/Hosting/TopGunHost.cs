using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using TopGun.Server.Configuration;
using TopGun.Server.Gateway;
using TopGun.Server.Readiness;
using TopGun.Server.Security;
using TopGun.Server.Modules;
using TopGun.Server.Node;

namespace TopGun.Server.Hosting;

/// <summary>
/// Builds and runs a TopGun node: Kestrel (HTTP + WebSocket on one port) with the ActorSystem as a
/// hosted service. Tests call <see cref="Build"/> with a <see cref="NodeConfiguration"/> on port 0,
/// then <c>StartAsync</c> and <see cref="HttpAddress"/>.
/// </summary>
public static class TopGunHost
{
    /// <param name="configureServices">Runs after the defaults, so it can replace e.g. the <see cref="IConnectionGateway"/> or add <see cref="INodeStartupStep"/>s.</param>
    public static WebApplication Build(NodeConfiguration node, Action<IServiceCollection>? configureServices = null, string[]? args = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        var settings = node.Settings;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args ?? [] });

        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            if (settings.Host == "localhost") kestrel.ListenLocalhost(settings.Port);
            else if (IPAddress.TryParse(settings.Host, out var ip)) kestrel.Listen(ip, settings.Port);
            else throw new TopGunConfigurationException($"TOPGUN_HOST '{settings.Host}' must be an IP address or 'localhost'.");
        });

        builder.Services.AddSingleton(node);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<ReadinessState>();
        builder.Services.AddSingleton(_ => new TokenValidator(settings.Jwt));
        builder.Services.AddSingleton(_ => AccessPolicyReader.FromConfig(node.Config));
        builder.Services.AddSingleton<IConnectionGateway, ConnectionGateway>();
        builder.Services.AddSingleton<INodeStartupStep, AccessPolicyStartupLog>();
        builder.Services.AddSingleton<INodeStartupStep, Membership.CrashedMemberDowningStartup>();
        builder.Services.AddSingleton<Maps.IMapReplication, Replication.MapReplication>();
        builder.Services.AddSingleton<INodeStartupStep, Maps.MapShardingStartup>();
        builder.Services.AddSingleton<INodeStartupStep, FeatureStartup<Counters.CounterRegion>>();
        builder.Services.AddSingleton<INodeStartupStep, FeatureStartup<Locks.LockRegion>>();
        builder.Services.AddSingleton<INodeStartupStep, FeatureStartup<Topics.TopicRouting>>();
        builder.Services.AddSingleton<ActorSystemService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ActorSystemService>());
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseWebSockets();
        app.MapTopGunEndpoints();
        return app;
    }

    /// <summary>The address Kestrel actually bound (resolves port 0); valid after the app has started.</summary>
    public static Uri HttpAddress(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The server has no bound address yet; call StartAsync first.");
        return new Uri(address);
    }

    /// <summary>The WebSocket URL clients use (<c>ws://host:port/</c>).</summary>
    public static Uri WebSocketAddress(this WebApplication app) =>
        new UriBuilder(app.HttpAddress()) { Scheme = "ws", Path = "/" }.Uri;

    /// <summary>Process entry point: configuration from the process environment, exit codes for operators.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        NodeConfiguration node;
        try
        {
            node = NodeConfigurationLoader.Load(EnvironmentOverrides.FromProcess());
        }
        catch (TopGunConfigurationException e)
        {
            await Console.Error.WriteLineAsync("TopGun configuration error: " + e.Message).ConfigureAwait(false);
            return 2;
        }

        ActorSystemService? actorSystem = null;
        try
        {
            var app = Build(node, args: args);
            // Resolved up front: RunAsync disposes the service provider when the host stops.
            actorSystem = app.Services.GetRequiredService<ActorSystemService>();
            // The host handles SIGTERM/SIGINT: Kestrel stops accepting, then the ActorSystem shuts down, then RunAsync returns.
            await app.RunAsync().ConfigureAwait(false);
            return actorSystem.Failure is null ? 0 : 1;
        }
        catch (OperationCanceledException) when (actorSystem?.Failure is { } failure)
        {
            // A startup step failed while Kestrel was still starting: the stop it requested cancelled the start.
            await Console.Error.WriteLineAsync("TopGun failed to start: " + failure).ConfigureAwait(false);
            return 1;
        }
        catch (TopGunConfigurationException e)
        {
            await Console.Error.WriteLineAsync("TopGun configuration error: " + e.Message).ConfigureAwait(false);
            return 2;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            await Console.Error.WriteLineAsync($"TopGun failed to start: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }
}
