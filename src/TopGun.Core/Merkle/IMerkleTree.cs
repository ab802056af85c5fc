namespace TopGun.Core.Merkle;

/// <summary>
/// Read side of a protocol Merkle tree (protocol §7): what a sync handler needs to answer
/// root, bucket and leaf requests. Paths are 0..3 lowercase hex characters; <c>""</c> is the root.
/// </summary>
public interface IMerkleTree
{
    /// <summary>Wrapping 32-bit sum of every item hash in the tree.</summary>
    uint RootHash { get; }

    /// <summary>Number of keys in the tree.</summary>
    int Count { get; }

    /// <summary>Hash of the node at <paramref name="path"/>; 0 for an empty or invalid path.</summary>
    uint GetHash(string path);

    /// <summary>
    /// Child hashes of the node at <paramref name="path"/> for children that hold at least one key;
    /// empty for a missing node, a leaf path or an invalid path (the protocol's <c>{}</c>).
    /// </summary>
    IReadOnlyDictionary<char, uint> GetBuckets(string path);

    /// <summary>Keys stored in the leaf at a depth-3 path; empty for any other path.</summary>
    IReadOnlyCollection<string> GetKeysInBucket(string path);

    /// <summary>True for a well-formed depth-3 path, whose request is answered with leaf contents.</summary>
    bool IsLeafPath(string path);

    /// <summary>The hash the tree holds for <paramref name="key"/>, if the key is in the tree.</summary>
    bool TryGetItemHash(string key, out uint itemHash);
}
