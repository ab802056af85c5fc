namespace TopGun.Server.Maps;

/// <summary>The answers to <see cref="GetMerkleNode"/>: <see cref="MerkleNodeHashes"/> | <see cref="LwwLeaf"/> | <see cref="OrLeaf"/>.</summary>
internal interface IMerkleNodeReply : IPartitionReply
{
    string Path { get; }
}
