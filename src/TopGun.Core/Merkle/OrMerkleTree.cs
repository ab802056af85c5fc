using TopGun.Core.Crdt;

namespace TopGun.Core.Merkle;

/// <summary>
/// Merkle tree of an OR map: one entry per key holding at least one record, hashed by
/// <see cref="OrEntryHash"/>. Tombstones are not part of the hash (protocol §7).
/// </summary>
public sealed class OrMerkleTree : MerkleTree
{
    /// <summary>Rehashes <paramref name="key"/> from its current records; a key without records leaves the tree.</summary>
    public void Update(string key, IReadOnlyCollection<OrMapRecord> records)
    {
        if (records.Count == 0) Remove(key);
        else Update(key, OrEntryHash.Compute(key, records));
    }
}
