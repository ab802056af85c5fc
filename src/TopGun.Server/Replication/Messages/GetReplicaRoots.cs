using TopGun.Server.Serialization;

namespace TopGun.Server.Replication;

/// <summary>To a replica host: report the Merkle root of every replica it holds (admin and tests).</summary>
internal sealed record GetReplicaRoots : IReplicationSerializable
{
    public static readonly GetReplicaRoots Instance = new();
}
