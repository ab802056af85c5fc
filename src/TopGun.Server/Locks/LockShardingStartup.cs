using Akka.Actor;
using TopGun.Server.Hosting;

namespace TopGun.Server.Locks;

/// <summary>Node startup step: starts the lock shard region before the node reports ready.</summary>
public sealed class LockShardingStartup : INodeStartupStep
{
    public Task RunAsync(ActorSystem system, CancellationToken cancellationToken) =>
        LockSharding.StartAsync(system).WaitAsync(cancellationToken);
}
