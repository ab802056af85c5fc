using Akka.Actor;
using Akka.Cluster;
using Akka.Remote;

namespace TopGun.Server.Membership;

/// <summary><see cref="IMembershipView"/> over the node's own <see cref="Cluster"/> and remoting event stream.</summary>
internal sealed class ClusterMembershipView(ActorSystem system) : IMembershipView
{
    private readonly Cluster _cluster = Cluster.Get(system);

    public Address SelfAddress => _cluster.SelfAddress;

    public MemberStatus? StatusOf(Address address) =>
        _cluster.State.Members.FirstOrDefault(m => m.Address == address)?.Status;

    public bool IsUnreachable(Address address) => _cluster.State.Unreachable.Any(m => m.Address == address);

    public void Down(Address address) => _cluster.Down(address);

    public void Subscribe(IActorRef subscriber)
    {
        _cluster.Subscribe(subscriber, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.UnreachableMember));
        system.EventStream.Subscribe(subscriber, typeof(DisassociatedEvent));
    }

    public void Unsubscribe(IActorRef subscriber)
    {
        _cluster.Unsubscribe(subscriber);
        system.EventStream.Unsubscribe(subscriber);
    }
}
