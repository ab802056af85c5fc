using Akka.Actor;
using TopGun.Core.Clock;

namespace TopGun.Server.Maps;

/// <summary>
/// Replication as the map module receives it (registered by the host, implemented in <c>Replication/</c>):
/// started once per node, it gives each partition its <see cref="IOwnerReplication"/>.
/// </summary>
internal interface IMapReplication
{
    /// <summary>Starts the node's replication; null when the node keeps its partitions to itself (no cluster, or no backups).</summary>
    Func<IReplicatedPartition, IOwnerReplication>? Start(ActorSystem system, MapSettings settings, Hlc hlc);
}
