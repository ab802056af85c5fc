using Akka.Actor;

namespace TopGun.Server.Modules;

/// <summary>
/// Work that must finish on every node before it reports ready, e.g. starting shard regions. Register
/// implementations in DI; they run in registration order right after the ActorSystem starts.
/// </summary>
internal interface INodeStartupStep
{
    Task RunAsync(ActorSystem system, CancellationToken cancellationToken);
}
