using TopGun.Server.Serialization;

namespace TopGun.Server.Replication;

/// <summary>Replica → owner: delta <see cref="Seq"/> is applied in the replica's memory (what REPLICATED waits for).</summary>
internal sealed record ReplicaDeltaAck(string EntityId, long Seq) : IReplicationSerializable;
