using Akka.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using TopGun.Server.Configuration;
using TopGun.Server.Hosting;
using TopGun.Server.Readiness;
using TopGun.Server.Tests.Support;

namespace TopGun.Server.Tests.Admin;

/// <summary>
/// Two real single-node hosts (Kestrel + ActorSystem + SQLite, OS-assigned ports) started once for the admin
/// access tests: one with the shipped <c>topgun.admin.allow-remote = off</c>, one with it on. Both let a test
/// choose the peer address a request appears to come from (<see cref="PeerAddressOverride"/>). The open node
/// also runs with <c>topgun.replication.backup-count = 0</c>, so the views are checked on a node without a
/// replica host too.
/// </summary>
public sealed class AdminNodes : IAsyncLifetime
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _dir = new();

    public WebApplication LoopbackOnly { get; private set; } = null!;

    public WebApplication OpenToRemote { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        LoopbackOnly = Build("loopback-only", allowRemote: false);
        OpenToRemote = Build("open-to-remote", allowRemote: true);
        await Task.WhenAll(StartAsync(LoopbackOnly), StartAsync(OpenToRemote));
    }

    public async Task DisposeAsync()
    {
        foreach (var app in new[] { LoopbackOnly, OpenToRemote })
        {
            if (app is null) continue;
            await app.StopAsync();
            await app.DisposeAsync();
        }
        _dir.Dispose();
    }

    private WebApplication Build(string name, bool allowRemote)
    {
        var env = TestNode.Environment(Path.Combine(_dir.Path, name), ("TOPGUN_NODE_ID", name));
        var node = NodeConfigurationLoader.Load(env, ConfigurationFactory.ParseString(allowRemote
            ? "topgun.admin.allow-remote = on\ntopgun.replication.backup-count = 0"
            : "topgun.admin.allow-remote = off"));
        return TopGunHost.Build(node, services => services.AddSingleton<IStartupFilter, PeerAddressOverride>());
    }

    // /admin/cluster and /admin/partitions need the running ActorSystem and shard regions, so a request that
    // passes the access check gets its 200 only once the node is ready.
    private static async Task StartAsync(WebApplication app)
    {
        await app.StartAsync();
        await app.Services.GetRequiredService<ReadinessState>().WhenReady.WaitAsync(ReadyTimeout);
    }
}
