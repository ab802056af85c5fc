using Akka.Actor;
using TopGun.Server.Maps;

namespace TopGun.ClusterBench;

/// <summary>
/// Learns the actor ref of a partition's owner: the region's reply to <see cref="GetPartitionRoot"/> comes from
/// the entity itself, and that ref is what a replica reconciles with.
/// </summary>
public sealed class OwnerProbe : ReceiveActor
{
    private readonly IActorRef _region;
    private readonly PartitionEnvelope _question;

    public OwnerProbe(IActorRef region, string mapName, string partition, TaskCompletionSource<IActorRef> owner)
    {
        _region = region;
        _question = new PartitionEnvelope(mapName, partition, new GetPartitionRoot(0));
        Receive<PartitionRoot>(_ =>
        {
            owner.TrySetResult(Sender);
            Context.Stop(Self);
        });
    }

    protected override void PreStart() => _region.Tell(_question, Self);
}
