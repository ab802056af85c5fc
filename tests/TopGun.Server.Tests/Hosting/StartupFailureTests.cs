using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TopGun.Server.Configuration;
using TopGun.Server.Hosting;
using TopGun.Server.Tests.Support;
using TopGun.Server.Modules;
using TopGun.Server.Node;

namespace TopGun.Server.Tests.Hosting;

public sealed class StartupFailureTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task A_failing_startup_step_stops_the_node_and_records_why()
    {
        var node = NodeConfigurationLoader.Load(TestNode.Environment(_dir.Path));
        await using var app = TopGunHost.Build(node, services => services.AddSingleton<INodeStartupStep>(new FailingStep()));

        try
        {
            await app.StartAsync();
        }
        catch (OperationCanceledException)
        {
            // The step can fail while Kestrel is still binding; the stop it requests then cancels the start.
        }
        await app.WaitForShutdownAsync().WaitAsync(TimeSpan.FromSeconds(60));

        var failure = app.Services.GetRequiredService<ActorSystemService>().Failure;
        Assert.NotNull(failure);
        Assert.Contains("shard regions unavailable", failure, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    private sealed class FailingStep : INodeStartupStep
    {
        public Task RunAsync(ActorSystem system, CancellationToken cancellationToken) =>
            Task.FromException(new InvalidOperationException("shard regions unavailable"));
    }
}
