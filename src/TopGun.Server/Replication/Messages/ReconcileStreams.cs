using Akka.Streams;
using TopGun.Server.Maps;
using TopGun.Server.Serialization;

namespace TopGun.Server.Replication;

/// <summary>
/// Owner → replica, last round: <see cref="FromOwner"/> streams the owner's records the replica lacks or
/// holds differently; the replica streams its records of <see cref="WantedKeys"/> into <see cref="ToOwner"/>.
/// Only keys whose item hashes differ travel, so the transfer follows the difference, not the map size.
/// </summary>
internal sealed record ReconcileStreams(
    long CorrelationId,
    ISourceRef<IPartitionEvent> FromOwner,
    ISinkRef<IPartitionEvent> ToOwner,
    IReadOnlyList<string> WantedKeys) : IReplicationSerializable;
