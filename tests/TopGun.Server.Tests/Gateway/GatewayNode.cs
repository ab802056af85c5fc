using Akka.Actor;
using Akka.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using TopGun.Server.Configuration;
using TopGun.Server.Hosting;
using TopGun.Server.Readiness;
using TopGun.Server.Tests.Support;
using TopGun.Server.Node;

namespace TopGun.Server.Tests.Gateway;

/// <summary>
/// A real node (Kestrel + ActorSystem + SQLite in a temp dir, unless <c>environment</c> picks another storage)
/// on OS-assigned ports, ready for WebSocket clients.
/// </summary>
public sealed class GatewayNode : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _dir;
    private bool _stopped;

    private GatewayNode(TempDirectory dir, WebApplication app)
    {
        _dir = dir;
        App = app;
    }

    public WebApplication App { get; }

    public Uri Address => App.WebSocketAddress();

    public ActorSystem System => App.Services.GetRequiredService<ActorSystemService>().System;

    /// <param name="environment">Extra TOPGUN_* variables, e.g. the PostgreSQL storage of <see cref="ForPostgres"/>.</param>
    public static async Task<GatewayNode> StartAsync(
        string? hocon = null,
        Action<IServiceCollection>? services = null,
        IEnumerable<(string Name, string Value)>? environment = null)
    {
        var dir = new TempDirectory();
        var env = TestNode.Environment(dir.Path,
            [("TOPGUN_NODE_ID", "gateway-test"), ("TOPGUN_JWT_SECRET", TestTokens.Secret), .. environment ?? []]);
        var extra = ConfigurationFactory.ParseString("akka.loglevel = WARNING\n" + (hocon ?? ""));
        var node = NodeConfigurationLoader.Load(env, extra);
        var app = TopGunHost.Build(node, services);
        await app.StartAsync();
        await app.Services.GetRequiredService<ReadinessState>().WhenReady.WaitAsync(StartTimeout);
        return new GatewayNode(dir, app);
    }

    /// <summary>The variables that put a node's journal and snapshots into <paramref name="postgres"/>'s own schema.</summary>
    public static (string Name, string Value)[] ForPostgres(TestPostgres postgres) =>
    [
        ("TOPGUN_STORAGE", "postgres"),
        ("TOPGUN_POSTGRES", postgres.ConnectionString),
        ("TOPGUN_POSTGRES_SCHEMA", postgres.Schema),
    ];

    /// <summary>Stops the host the way SIGTERM does (ApplicationStopping first, then the hosted services).</summary>
    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        await App.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await App.DisposeAsync();
        _dir.Dispose();
    }
}
