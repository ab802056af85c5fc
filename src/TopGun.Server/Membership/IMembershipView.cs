using Akka.Actor;
using Akka.Cluster;

namespace TopGun.Server.Membership;

/// <summary>What <see cref="CrashedMemberDowning"/> needs of the cluster; a seam so its decisions can be tested without one.</summary>
internal interface IMembershipView
{
    Address SelfAddress { get; }

    /// <summary>Null when the address is not (or no longer) a member.</summary>
    MemberStatus? StatusOf(Address address);

    bool IsUnreachable(Address address);

    void Down(Address address);

    /// <summary>Delivers <see cref="ClusterEvent.UnreachableMember"/> and <see cref="Akka.Remote.DisassociatedEvent"/> to <paramref name="subscriber"/>.</summary>
    void Subscribe(IActorRef subscriber);

    void Unsubscribe(IActorRef subscriber);
}
