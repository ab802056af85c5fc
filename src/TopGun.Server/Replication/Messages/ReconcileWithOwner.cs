using Akka.Actor;
using TopGun.Server.Serialization;

namespace TopGun.Server.Replication;

/// <summary>
/// Owner → replica host: reconcile the replica of <see cref="EntityId"/> with <see cref="Owner"/> now and
/// answer <see cref="ReconcileFinished"/>. Without a replica the host answers <see cref="NoReplica"/>, unless
/// <see cref="CreateIfMissing"/> asks it to become one (a new placement, filled by this first reconciliation).
/// </summary>
internal sealed record ReconcileWithOwner(string EntityId, IActorRef Owner, bool CreateIfMissing) : IReplicationSerializable;
