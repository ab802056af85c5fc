using TopGun.Core.Clock;
using TopGun.Core.Crdt;

namespace TopGun.Core.Merkle;

/// <summary>
/// Merkle tree of an LWW map. A key's item hash covers the key and its record's timestamp, never the
/// value: two replicas agree on a key exactly when they hold the same winning write.
/// </summary>
public sealed class LwwMerkleTree : MerkleTree
{
    /// <summary><c>fnv1a("key:millis:counter:nodeId")</c>, computed without building the string.</summary>
    public static uint ItemHash(string key, Timestamp timestamp) => ItemHashFrom(Fnv1a.Hash(key), timestamp);

    public void Update(string key, Timestamp timestamp)
    {
        var pathHash = Fnv1a.Hash(key);
        Update(key, pathHash, ItemHashFrom(pathHash, timestamp));
    }

    public void Update(string key, LwwRecord record) => Update(key, record.Timestamp);

    /// <summary>Continues <c>fnv1a(key)</c> with <c>:millis:counter:nodeId</c>.</summary>
    private static uint ItemHashFrom(uint keyHash, Timestamp timestamp)
    {
        var h = Fnv1a.Append(keyHash, ':');
        h = Fnv1a.Append(h, timestamp.Millis);
        h = Fnv1a.Append(h, ':');
        h = Fnv1a.Append(h, timestamp.Counter);
        h = Fnv1a.Append(h, ':');
        return Fnv1a.Append(h, timestamp.NodeId);
    }
}
