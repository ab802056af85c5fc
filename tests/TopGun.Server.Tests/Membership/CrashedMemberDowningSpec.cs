using Akka.Actor;
using Akka.Cluster;
using Akka.Remote;
using Akka.TestKit.Xunit2;
using TopGun.Server.Membership;

namespace TopGun.Server.Tests.Membership;

public sealed class CrashedMemberDowningSpec : TestKit
{
    private static readonly Address Self = Node(4053);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly FakeMembership _membership = new(Self);
    private readonly ScriptedPortProbe _probe = new();

    public CrashedMemberDowningSpec()
    {
        _membership.Set(Self, MemberStatus.Up);
    }

    [Fact]
    public void A_member_whose_cluster_port_refuses_connections_is_downed_after_the_configured_refusals_in_a_row()
    {
        var crashed = Node(4054);
        _membership.Set(crashed, MemberStatus.Up);
        _probe.Script(4054, PortState.Refused);
        var downing = Start(refusalsToDown: 2);

        downing.Tell(Disassociated(crashed));

        AwaitCondition(() => _membership.Downed.Contains(crashed), Patience);
        Assert.Equal(2, _probe.ProbesOf(4054));
        Assert.Equal([crashed], _membership.Downed);
    }

    [Fact]
    public void Refusals_interrupted_by_an_accepted_connection_start_counting_again()
    {
        var flaky = Node(4054);
        _membership.Set(flaky, MemberStatus.Up, unreachable: true);
        _probe.Script(4054, PortState.Refused, PortState.Listening, PortState.Refused, PortState.Unknown, PortState.Refused, PortState.Refused);
        var downing = Start(refusalsToDown: 2);

        downing.Tell(Disassociated(flaky));

        AwaitCondition(() => _membership.Downed.Contains(flaky), Patience);
        Assert.Equal(6, _probe.ProbesOf(4054));
    }

    [Fact]
    public void An_unreachable_member_that_still_accepts_connections_or_does_not_answer_is_left_to_the_split_brain_resolver()
    {
        var paused = Node(4054);
        var partitioned = Node(4055);
        _membership.Set(paused, MemberStatus.Up, unreachable: true);
        _membership.Set(partitioned, MemberStatus.Up, unreachable: true);
        _probe.Script(4054, PortState.Listening);
        _probe.Script(4055, PortState.Unknown);
        var downing = Start(refusalsToDown: 1);

        downing.Tell(Disassociated(paused));
        downing.Tell(Disassociated(partitioned));

        // Probing goes on while they stay unreachable; several rounds without a Down show that neither answer downs.
        AwaitCondition(() => _probe.ProbesOf(4054) >= 5 && _probe.ProbesOf(4055) >= 5, Patience);
        Assert.Empty(_membership.Downed);
    }

    [Fact]
    public void Leaving_members_unknown_addresses_and_the_node_itself_are_never_probed()
    {
        var leaving = Node(4054);
        var stranger = Node(4055);
        var crashed = Node(4056);
        _membership.Set(leaving, MemberStatus.Leaving);
        _membership.Set(crashed, MemberStatus.Up);
        _probe.Script(4053, PortState.Refused);
        _probe.Script(4054, PortState.Refused);
        _probe.Script(4055, PortState.Refused);
        _probe.Script(4056, PortState.Refused);
        var downing = Start(refusalsToDown: 1);

        downing.Tell(Disassociated(Self));
        downing.Tell(Disassociated(leaving));
        downing.Tell(Disassociated(stranger));
        downing.Tell(Disassociated(crashed));

        // Suspicions are handled in arrival order, so by the time the last one is downed the others were decided.
        AwaitCondition(() => _membership.Downed.Contains(crashed), Patience);
        Assert.Equal([crashed], _membership.Downed);
        Assert.Equal(0, _probe.ProbesOf(4053) + _probe.ProbesOf(4054) + _probe.ProbesOf(4055));
    }

    [Fact]
    public void A_node_that_is_not_up_itself_downs_nobody()
    {
        var crashed = Node(4054);
        _membership.Set(Self, MemberStatus.Leaving);
        _membership.Set(crashed, MemberStatus.Up);
        _probe.Script(4054, PortState.Refused);
        var downing = Start(refusalsToDown: 1);

        downing.Tell(Disassociated(crashed));
        downing.Tell(new Identify(null));
        ExpectMsg<ActorIdentity>(Patience);

        Assert.Equal(0, _probe.ProbesOf(4054));
        Assert.Empty(_membership.Downed);
    }

    private IActorRef Start(int refusalsToDown)
    {
        var settings = new CrashDowningSettings
        {
            Enabled = true,
            ProbeInterval = TimeSpan.FromMilliseconds(20),
            RefusalsToDown = refusalsToDown,
            ConnectTimeout = TimeSpan.FromSeconds(1),
        };
        return Sys.ActorOf(CrashedMemberDowning.Props(settings, _membership, _probe));
    }

    private static Address Node(int port) => new("akka.tcp", "topgun", "10.0.0.1", port);

    private static DisassociatedEvent Disassociated(Address remote) => new(Self, remote, inbound: false);
}
