using Akka.Actor;
using TopGun.Core.Clock;
using TopGun.Server.Maps;

namespace TopGun.Server.Replication;

/// <summary>Replication for the map module: starts the node's <see cref="ReplicaHost"/> and gives each partition a <see cref="PartitionOwner"/>.</summary>
/// <param name="deltas">How owners send deltas; the remoting link when null.</param>
internal sealed class MapReplication(IDeltaLink? deltas = null) : IMapReplication
{
    public Func<IReplicatedPartition, IOwnerReplication>? Start(ActorSystem system, MapSettings settings, Hlc hlc)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(settings);
        var replication = PartitionReplication.Start(system, ReplicationSettings.FromConfig(system.Settings.Config), settings.PartitionCount, hlc, deltas);
        return replication is null ? null : partition => new PartitionOwner(partition, replication);
    }
}
