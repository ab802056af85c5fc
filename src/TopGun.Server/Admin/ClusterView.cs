using Akka.Actor;

namespace TopGun.Server.Admin;

/// <summary>JSON shape of <c>GET /admin/cluster</c>: this node's view of the membership.</summary>
internal sealed record ClusterView(string Self, string? Leader, IReadOnlyList<ClusterMemberView> Members)
{
    public static ClusterView Of(ActorSystem system)
    {
        var cluster = Akka.Cluster.Cluster.Get(system);
        var state = cluster.State;
        var unreachable = state.Unreachable.Select(m => m.Address).ToHashSet();
        var members = state.Members
            .Select(m => new ClusterMemberView(
                m.Address.ToString(),
                m.Status.ToString(),
                !unreachable.Contains(m.Address),
                m.Roles.Order(StringComparer.Ordinal).ToArray()))
            .ToArray();
        return new ClusterView(cluster.SelfAddress.ToString(), state.Leader?.ToString(), members);
    }
}

/// <summary>One member: its Akka address, status (Joining, Up, Leaving, Exiting, Down, Removed…), whether this node reaches it, and its roles.</summary>
internal sealed record ClusterMemberView(string Address, string Status, bool Reachable, IReadOnlyList<string> Roles);
