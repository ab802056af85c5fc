using TopGun.Core.Crdt;
using TopGun.Server.Serialization;
namespace TopGun.Server.Maps;

/// <summary>
/// A node of the map's Merkle tree inside this partition. <see cref="Path"/> has 1..3 hex digits and
/// starts with the partition; depth 1-2 answers <see cref="MerkleNodeHashes"/>, depth 3 a leaf
/// (<see cref="LwwLeaf"/> or <see cref="OrLeaf"/> by <see cref="Kind"/>).
/// </summary>
internal sealed record GetMerkleNode(long CorrelationId, MapKind Kind, string Path) : IPartitionCommand, IMapSerializable;
