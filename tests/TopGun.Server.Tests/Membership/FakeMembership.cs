using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Cluster;
using TopGun.Server.Membership;

namespace TopGun.Server.Tests.Membership;

/// <summary>A membership the test sets by hand; records every Down.</summary>
internal sealed class FakeMembership : IMembershipView
{
    private readonly ConcurrentDictionary<Address, MemberStatus> _statuses = new();
    private readonly ConcurrentDictionary<Address, bool> _unreachable = new();

    public FakeMembership(Address self) => SelfAddress = self;

    public Address SelfAddress { get; }

    public ConcurrentQueue<Address> Downed { get; } = new();

    public void Set(Address address, MemberStatus status, bool unreachable = false)
    {
        _statuses[address] = status;
        _unreachable[address] = unreachable;
    }

    public MemberStatus? StatusOf(Address address) => _statuses.TryGetValue(address, out var status) ? status : null;

    public bool IsUnreachable(Address address) => _unreachable.TryGetValue(address, out var unreachable) && unreachable;

    public void Down(Address address) => Downed.Enqueue(address);

    public void Subscribe(IActorRef subscriber)
    {
    }

    public void Unsubscribe(IActorRef subscriber)
    {
    }
}
