using Akka.Actor;
using TopGun.Server.Hosting;
using TopGun.Server.Maps;

namespace TopGun.Server.Tests.Gateway;

/// <summary>
/// Fills <see cref="MapRegions"/> when no real map sharding is registered: map kinds are granted as
/// claimed and partitions never answer. Enough for tests of the connection lifecycle.
/// </summary>
public sealed class StandInRegions : INodeStartupStep
{
    public Task RunAsync(ActorSystem system, CancellationToken cancellationToken)
    {
        var regions = MapRegions.Get(system);
        if (!regions.IsStarted)
            regions.Set(system.ActorOf(Props.Create(() => new Silent()), "stand-in-partitions"), system.ActorOf(Props.Create(() => new Granting()), "stand-in-map-types"));
        return Task.CompletedTask;
    }

    private sealed class Silent : ReceiveActor
    {
        public Silent() => ReceiveAny(_ => { });
    }

    private sealed class Granting : ReceiveActor
    {
        public Granting() => Receive<ClaimMapType>(claim => Sender.Tell(new MapTypeClaimed(claim.MapName, claim.Kind)));
    }
}
