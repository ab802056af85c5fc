using TopGun.Server.Maps;
using TopGun.Server.Serialization;

namespace TopGun.Server.Replication;

/// <summary>
/// Owner → replica host (internal, node to node): one applied change of partition <see cref="EntityId"/>,
/// numbered per owner incarnation so a replica notices a gap. Delivery is at most once; anti-entropy repairs losses.
/// </summary>
internal sealed record ReplicaDelta(string EntityId, long Seq, IPartitionEvent Event) : IReplicationSerializable;
