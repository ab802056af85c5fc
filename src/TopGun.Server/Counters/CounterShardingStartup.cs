using Akka.Actor;
using TopGun.Server.Hosting;

namespace TopGun.Server.Counters;

/// <summary>Node startup step: starts the "counter" shard region before the node reports ready.</summary>
public sealed class CounterShardingStartup : INodeStartupStep
{
    public Task RunAsync(ActorSystem system, CancellationToken cancellationToken) =>
        CounterSharding.StartAsync(system).WaitAsync(cancellationToken);
}
