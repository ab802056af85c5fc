using TopGun.Server.Serialization;

namespace TopGun.Server.Replication;

/// <summary>
/// Replica → owner, first round of anti-entropy: the replica's partition root and the hashes of the
/// partition node's children (full Merkle paths; empty buckets left out). Equal roots end the exchange.
/// </summary>
internal sealed record ReconcileRequest(long CorrelationId, uint Root, IReadOnlyDictionary<string, uint> Hashes) : IReplicationSerializable;
