using Akka.Actor;
using TopGun.Core.Merkle;

namespace TopGun.Server.Replication;

/// <summary>
/// Which nodes hold a partition's replicas: rendezvous (highest random weight) hashing of the entity id
/// over the reachable members other than the owner. Every node computes the same answer from the same
/// membership, and a membership change moves only the replicas whose node came or went.
/// </summary>
internal static class ReplicaPlacement
{
    public static IReadOnlyList<Address> Choose(string entityId, Address owner, IEnumerable<Address> members, int count)
    {
        ArgumentNullException.ThrowIfNull(entityId);
        ArgumentNullException.ThrowIfNull(members);
        if (count <= 0) return [];
        return members
            .Where(m => m != owner)
            .Distinct()
            .Select(m => (Address: m, Weight: Fnv1a.Hash(entityId + "@" + m)))
            .OrderByDescending(x => x.Weight)
            .ThenBy(x => x.Address.ToString(), StringComparer.Ordinal)
            .Take(count)
            .Select(x => x.Address)
            .ToArray();
    }
}
