using TopGun.Server.Serialization;

namespace TopGun.Server.Replication;

/// <summary>Replica → owner: a reconciliation ended; <see cref="Succeeded"/> is false when it was cut short (owner gone, timeout, stream failure).</summary>
internal sealed record ReconcileFinished(string EntityId, bool Succeeded, int RecordsReceived, int RecordsSent) : IReplicationSerializable;
