using Akka.Actor;
using TopGun.Server.Hosting;

namespace TopGun.Server.Maps;

/// <summary>Node startup step: starts the map shard regions before the node reports ready.</summary>
public sealed class MapShardingStartup : INodeStartupStep
{
    public Task RunAsync(ActorSystem system, CancellationToken cancellationToken) =>
        MapSharding.StartAsync(system).WaitAsync(cancellationToken);
}
