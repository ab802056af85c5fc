using TopGun.Server.Serialization;
namespace TopGun.Server.Maps;

/// <summary>The entries of an OR-map Merkle leaf: each key's records and its relevant tombstones.</summary>
internal sealed record OrLeaf(long CorrelationId, string Path, IReadOnlyList<OrEntry> Entries) : IMerkleNodeReply, IMapSerializable;
