using Akka.Actor;
using Akka.Cluster;
using TopGun.Core.Clock;

namespace TopGun.Server.Replication;

/// <summary>
/// A node's replication wiring, handed to every map partition it hosts: settings, the node's
/// <see cref="ReplicaHost"/>, and how to reach the replica host of any member.
/// </summary>
internal sealed class PartitionReplication
{
    public const string HostName = "topgun-replicas";

    private PartitionReplication(ActorSystem system, ReplicationSettings settings, IActorRef host, IDeltaLink deltas)
    {
        System = system;
        Settings = settings;
        LocalHost = host;
        Deltas = deltas;
        Stats = ReplicationStats.Get(system);
    }

    public ActorSystem System { get; }

    public ReplicationSettings Settings { get; }

    public IActorRef LocalHost { get; }

    /// <summary>How this node's owners send deltas to replica hosts.</summary>
    public IDeltaLink Deltas { get; }

    public ReplicationStats Stats { get; }

    /// <summary>Starts the node's replica host. Null when the node runs without cluster support or with no backups.</summary>
    public static PartitionReplication? Start(ActorSystem system, ReplicationSettings settings, int partitionCount, Hlc hlc, IDeltaLink? deltas = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.BackupCount == 0 || system is not ExtendedActorSystem { Provider: IClusterActorRefProvider }) return null;
        var host = system.ActorOf(ReplicaHost.Props(settings, hlc), HostName);
        return new PartitionReplication(system, settings, host, deltas ?? RemotingDeltaLink.Instance);
    }

    /// <summary>The replica host of the member at <paramref name="address"/>.</summary>
    public ActorSelection HostAt(Address address) =>
        System.ActorSelection(new RootActorPath(address) / "user" / HostName);

    /// <summary>Members that can hold replicas now: up (or weakly up) and reachable from here.</summary>
    public static IReadOnlyList<Address> ReachableMembers(Cluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var state = cluster.State;
        var unreachable = state.Unreachable.Select(m => m.Address).ToHashSet();
        return state.Members
            .Where(m => m.Status is MemberStatus.Up or MemberStatus.WeaklyUp && !unreachable.Contains(m.Address))
            .Select(m => m.Address)
            .ToArray();
    }
}
