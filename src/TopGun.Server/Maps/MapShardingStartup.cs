using Akka.Actor;
using TopGun.Server.Modules;

namespace TopGun.Server.Maps;

/// <summary>Node startup step: starts the map shard regions (with the node's replication, when the host registers one) before the node reports ready.</summary>
internal sealed class MapShardingStartup(IMapReplication? replication = null) : INodeStartupStep
{
    public Task RunAsync(ActorSystem system, CancellationToken cancellationToken) =>
        MapSharding.StartAsync(system, replication: replication).WaitAsync(cancellationToken);
}
