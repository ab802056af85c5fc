using TopGun.Core.Crdt;
using TopGun.Server.Serialization;

namespace TopGun.Server.Maps;

/// <summary>The records of an LWW Merkle leaf, tombstones included (the client needs them to converge).</summary>
internal sealed record LwwLeaf(long CorrelationId, string Path, IReadOnlyList<KeyValuePair<string, LwwRecord>> Records) : IMerkleNodeReply, IMapSerializable;
