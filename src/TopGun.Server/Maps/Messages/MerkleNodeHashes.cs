using TopGun.Server.Serialization;
namespace TopGun.Server.Maps;

/// <summary>The non-empty child buckets of an inner Merkle node, keyed by hex digit.</summary>
internal sealed record MerkleNodeHashes(long CorrelationId, string Path, IReadOnlyDictionary<char, uint> Buckets) : IMerkleNodeReply, IMapSerializable;
