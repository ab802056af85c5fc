using Akka.Cluster;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using TopGun.Server.Configuration;
using TopGun.Server.Hosting;
using TopGun.Server.Readiness;
using TopGun.Server.Tests.Support;

namespace TopGun.Server.Tests.Hosting;

public sealed class ClusterJoinTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _dir = new();
    private readonly List<WebApplication> _apps = [];

    public Task InitializeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_node_with_seed_nodes_joins_the_seed_instead_of_forming_its_own_cluster()
    {
        var first = await StartAsync("first");
        var firstAddress = Cluster.Get(SystemOf(first)).SelfAddress;

        var second = await StartAsync("second", ("TOPGUN_SEED_NODES", $"{firstAddress.Host}:{firstAddress.Port}"));

        await second.Services.GetRequiredService<ReadinessState>().WhenReady.WaitAsync(Timeout);
        var members = Cluster.Get(SystemOf(second)).State.Members;
        Assert.Contains(members, m => m.Address == firstAddress && m.Status == MemberStatus.Up);
        Assert.Equal(2, members.Count);
    }

    public async Task DisposeAsync()
    {
        foreach (var app in Enumerable.Reverse(_apps))
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
        _dir.Dispose();
    }

    private async Task<WebApplication> StartAsync(string name, params (string, string)[] extra)
    {
        var node = NodeConfigurationLoader.Load(TestNode.Environment(Path.Combine(_dir.Path, name), [("TOPGUN_NODE_ID", name), .. extra]));
        var app = TopGunHost.Build(node);
        _apps.Add(app);
        await app.StartAsync();
        await app.Services.GetRequiredService<ReadinessState>().WhenReady.WaitAsync(Timeout);
        return app;
    }

    private static Akka.Actor.ActorSystem SystemOf(WebApplication app) => app.Services.GetRequiredService<ActorSystemService>().System;
}
