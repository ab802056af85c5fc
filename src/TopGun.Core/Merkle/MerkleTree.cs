using System.Globalization;
using System.Runtime.InteropServices;

namespace TopGun.Core.Merkle;

/// <summary>
/// The protocol's depth-3 hash trie keyed by <c>fnv1a(key)</c> (protocol §7). Every node's hash is
/// the wrapping sum of its children, so an update adds <c>new − old</c> along one path: three array
/// slots and the root, with no allocation once a key is known. Because the sum is additive, a tree
/// that holds only keys of one first hex digit is exactly that subtree of the full tree, which is
/// what lets the server split a map into partitions by the first path digit.
/// Not thread-safe: owned by the map that feeds it.
/// </summary>
public abstract class MerkleTree : IMerkleTree
{
    public const int Depth = 3;

    /// <summary>
    /// Longest path of a virtual bucket below the stored leaves: all eight hex digits of <c>fnv1a(key)</c>. The
    /// protocol tree stops at <see cref="Depth"/>; deeper buckets are computed on demand from a leaf's keys, so
    /// two copies can narrow a crowded leaf down to its differing keys without listing every key in it.
    /// </summary>
    public const int MaxPathLength = 8;

    private const int LeafShift = 32 - 4 * Depth;

    private readonly uint[] _level1 = new uint[16];
    private readonly uint[] _level2 = new uint[256];
    private readonly uint[] _level3 = new uint[4096];
    private readonly int[] _count1 = new int[16];
    private readonly int[] _count2 = new int[256];
    private readonly int[] _count3 = new int[4096];
    // Each key keeps fnv1a(key) next to its item hash (free: the entry's padding holds it), so buckets below the
    // leaves are computed without hashing the keys again.
    private readonly Dictionary<string, LeafEntry>?[] _leaves = new Dictionary<string, LeafEntry>?[4096];
    private uint _root;

    public uint RootHash => _root;

    public int Count { get; private set; }

    /// <summary>The key's path: <c>fnv1a(key)</c> as 8 lowercase hex digits; the first three pick the buckets.</summary>
    public static string PathOf(string key) => Fnv1a.Hash(key).ToString("x8", CultureInfo.InvariantCulture);

    /// <summary>Sets the hash stored for <paramref name="key"/>, adding the key if it is new.</summary>
    public void Update(string key, uint itemHash) => Update(key, Fnv1a.Hash(key), itemHash);

    /// <summary>
    /// <see cref="Update(string, uint)"/> for a caller that already holds <c>fnv1a(key)</c>, the
    /// prefix of its item hash, so the key is hashed once per write.
    /// </summary>
    private protected void Update(string key, uint pathHash, uint itemHash)
    {
        var leaf = (int)(pathHash >> LeafShift);
        var entries = _leaves[leaf] ??= new Dictionary<string, LeafEntry>(StringComparer.Ordinal);
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(entries, key, out var existed);
        var delta = unchecked(itemHash - slot.ItemHash);
        slot = new LeafEntry(itemHash, pathHash);
        if (!existed) AddCount(leaf, 1);
        AddDelta(leaf, delta);
    }

    /// <summary>Removes <paramref name="key"/>; false when it was not in the tree.</summary>
    public bool Remove(string key)
    {
        var leaf = LeafIndexOf(key);
        var entries = _leaves[leaf];
        if (entries is null || !entries.Remove(key, out var old)) return false;
        AddCount(leaf, -1);
        AddDelta(leaf, unchecked(0u - old.ItemHash));
        return true;
    }

    public void Clear()
    {
        Array.Clear(_level1);
        Array.Clear(_level2);
        Array.Clear(_level3);
        Array.Clear(_count1);
        Array.Clear(_count2);
        Array.Clear(_count3);
        Array.Clear(_leaves);
        _root = 0;
        Count = 0;
    }

    public bool TryGetItemHash(string key, out uint itemHash)
    {
        itemHash = 0;
        var entries = _leaves[LeafIndexOf(key)];
        if (entries is null || !entries.TryGetValue(key, out var entry)) return false;
        itemHash = entry.ItemHash;
        return true;
    }

    public uint GetHash(string path)
    {
        if (!TryParsePath(path, out var depth, out var index)) return 0;
        return depth switch
        {
            0 => _root,
            1 => _level1[index],
            2 => _level2[index],
            _ => _level3[index],
        };
    }

    public IReadOnlyDictionary<char, uint> GetBuckets(string path)
    {
        if (!TryParsePath(path, out var depth, out var index) || depth == Depth) return EmptyBuckets;
        var (hashes, counts) = depth switch
        {
            0 => (_level1, _count1),
            1 => (_level2, _count2),
            _ => (_level3, _count3),
        };
        var first = index * 16;
        Dictionary<char, uint>? result = null;
        for (var digit = 0; digit < 16; digit++)
        {
            if (counts[first + digit] == 0) continue;
            result ??= new Dictionary<char, uint>(16);
            result[HexDigit(digit)] = hashes[first + digit];
        }
        return result ?? EmptyBuckets;
    }

    public IReadOnlyCollection<string> GetKeysInBucket(string path)
    {
        if (!TryParsePath(path, out var depth, out var index) || depth != Depth) return [];
        var entries = _leaves[index];
        return entries is null || entries.Count == 0 ? [] : entries.Keys.ToArray();
    }

    /// <summary>
    /// Keys under a path of <see cref="Depth"/> to <see cref="MaxPathLength"/> digits (a leaf or a virtual bucket
    /// below it) with their item hashes; nothing for a shorter or invalid path. A live view: enumerate it before
    /// the tree changes.
    /// </summary>
    public IEnumerable<KeyValuePair<string, uint>> GetItemsUnder(string path)
    {
        if (!TryParseDeepPath(path, out var length, out var prefix) || length < Depth) return [];
        var entries = _leaves[(int)(prefix >> (4 * (length - Depth)))];
        if (entries is null || entries.Count == 0) return [];
        var shift = 32 - 4 * length;
        return entries
            .Where(e => length == Depth || e.Value.PathHash >> shift == prefix)
            .Select(e => new KeyValuePair<string, uint>(e.Key, e.Value.ItemHash));
    }

    /// <summary>Number of keys under a path of 0 to <see cref="MaxPathLength"/> digits; 0 for an invalid path.</summary>
    public int CountUnder(string path)
    {
        if (!TryParseDeepPath(path, out var length, out var prefix)) return 0;
        return length switch
        {
            0 => Count,
            1 => _count1[prefix],
            2 => _count2[prefix],
            3 => _count3[prefix],
            _ => CountBelowLeaf(length, prefix),
        };
    }

    private int CountBelowLeaf(int length, uint prefix)
    {
        var entries = _leaves[(int)(prefix >> (4 * (length - Depth)))];
        if (entries is null) return 0;
        var shift = 32 - 4 * length;
        var count = 0;
        foreach (var entry in entries.Values)
            if (entry.PathHash >> shift == prefix) count++;
        return count;
    }

    /// <summary>
    /// Hashes of the non-empty children of a path of 0 to <see cref="MaxPathLength"/> − 1 digits, keyed by child digit:
    /// the stored nodes above the leaves, the sums of the keys' item hashes by their next <c>fnv1a</c> digit below them.
    /// </summary>
    public IReadOnlyDictionary<char, uint> GetChildHashes(string path)
    {
        if (!TryParseDeepPath(path, out var length, out var prefix) || length >= MaxPathLength) return EmptyBuckets;
        if (length < Depth) return GetBuckets(path);
        var entries = _leaves[(int)(prefix >> (4 * (length - Depth)))];
        if (entries is null || entries.Count == 0) return EmptyBuckets;
        var parentShift = 32 - 4 * length;
        var childShift = 32 - 4 * (length + 1);
        Span<uint> sums = stackalloc uint[16];
        Span<int> counts = stackalloc int[16];
        foreach (var entry in entries.Values)
        {
            if (length > Depth && entry.PathHash >> parentShift != prefix) continue;
            var digit = (int)((entry.PathHash >> childShift) & 0xF);
            sums[digit] = unchecked(sums[digit] + entry.ItemHash);
            counts[digit]++;
        }
        Dictionary<char, uint>? result = null;
        for (var digit = 0; digit < 16; digit++)
        {
            if (counts[digit] == 0) continue;
            result ??= new Dictionary<char, uint>(16);
            result[HexDigit(digit)] = sums[digit];
        }
        return result ?? EmptyBuckets;
    }

    public bool IsLeafPath(string path) => TryParsePath(path, out var depth, out _) && depth == Depth;

    private static readonly IReadOnlyDictionary<char, uint> EmptyBuckets = new Dictionary<char, uint>();

    private static int LeafIndexOf(string key) => (int)(Fnv1a.Hash(key) >> LeafShift);

    private void AddDelta(int leaf, uint delta)
    {
        unchecked
        {
            _level3[leaf] += delta;
            _level2[leaf >> 4] += delta;
            _level1[leaf >> 8] += delta;
            _root += delta;
        }
    }

    private void AddCount(int leaf, int delta)
    {
        _count3[leaf] += delta;
        _count2[leaf >> 4] += delta;
        _count1[leaf >> 8] += delta;
        Count += delta;
    }

    /// <summary>Parses a path of lowercase hex digits (the TS trie only knows lowercase) into its depth and flat index at that depth.</summary>
    private static bool TryParsePath(string? path, out int depth, out int index)
    {
        depth = 0;
        index = 0;
        if (path is null || path.Length > Depth) return false;
        foreach (var c in path)
        {
            int digit;
            if (c is >= '0' and <= '9') digit = c - '0';
            else if (c is >= 'a' and <= 'f') digit = c - 'a' + 10;
            else return false;
            index = index * 16 + digit;
        }
        depth = path.Length;
        return true;
    }

    /// <summary>Parses 0 to <see cref="MaxPathLength"/> lowercase hex digits into their length and numeric value.</summary>
    private static bool TryParseDeepPath(string? path, out int length, out uint prefix)
    {
        length = 0;
        prefix = 0;
        if (path is null || path.Length > MaxPathLength) return false;
        foreach (var c in path)
        {
            uint digit;
            if (c is >= '0' and <= '9') digit = (uint)(c - '0');
            else if (c is >= 'a' and <= 'f') digit = (uint)(c - 'a' + 10);
            else return false;
            prefix = prefix << 4 | digit;
        }
        length = path.Length;
        return true;
    }

    private readonly record struct LeafEntry(uint ItemHash, uint PathHash);

    private static char HexDigit(int digit) => (char)(digit < 10 ? '0' + digit : 'a' + digit - 10);
}
