using Akka.Actor;

namespace TopGun.Server.Replication;

/// <summary>
/// How an owner's deltas travel to a replica host. Deltas are at-most-once by design (anti-entropy repairs
/// what is lost), so a link may drop one; a host embedding the node can wrap the default link, for example to
/// model a lossy network or to count what crosses it.
/// </summary>
internal interface IDeltaLink
{
    void Send(ActorSelection replicaHost, ReplicaDelta delta, IActorRef owner);
}

/// <summary>The production link: a remoting Tell to the replica host.</summary>
internal sealed class RemotingDeltaLink : IDeltaLink
{
    public static readonly RemotingDeltaLink Instance = new();

    public void Send(ActorSelection replicaHost, ReplicaDelta delta, IActorRef owner) => replicaHost.Tell(delta, owner);
}
