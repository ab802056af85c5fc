using TopGun.Core.Clock;
using TopGun.Core.Merkle;
using TopGun.Core.Values;

namespace TopGun.Core.Crdt;

/// <summary>
/// Observed-remove map (protocol §6): each key holds a set of tagged records; a remove tombstones the
/// tags it observed, so a concurrent add (a new tag) survives it. Tags are the string form of the
/// add's HLC timestamp and therefore globally unique. Not thread-safe: owned by one actor or guarded
/// by its caller. TTL expiry is judged against the wall clock of the map's <see cref="Hlc"/>.
/// </summary>
public sealed class OrMap
{
    private readonly Hlc _hlc;
    private readonly Dictionary<string, Dictionary<string, OrMapRecord>> _items = new(StringComparer.Ordinal);
    private readonly HashSet<string> _tombstones = new(StringComparer.Ordinal);
    // Which key holds a live tag, so a tombstone finds its record without scanning every key.
    private readonly Dictionary<string, string> _keyByTag = new(StringComparer.Ordinal);

    public OrMap(Hlc hlc)
    {
        _hlc = hlc ?? throw new ArgumentNullException(nameof(hlc));
        Tombstones = _tombstones.AsReadOnly();
    }

    /// <summary>Kept in step with every change to the map.</summary>
    public OrMerkleTree Merkle { get; } = new();

    /// <summary>Keys holding at least one record.</summary>
    public IEnumerable<string> Keys => _items.Keys;

    /// <summary>Number of keys holding at least one record.</summary>
    public int Count => _items.Count;

    public IReadOnlySet<string> Tombstones { get; }

    /// <summary>Every key with all its records, expired ones included (for sync leaves and snapshots).</summary>
    public IEnumerable<KeyValuePair<string, IReadOnlyCollection<OrMapRecord>>> Records =>
        _items.Select(e => new KeyValuePair<string, IReadOnlyCollection<OrMapRecord>>(e.Key, e.Value.Values));

    public bool IsTombstoned(string tag) => _tombstones.Contains(tag);

    /// <summary>The key holding the live record tagged <paramref name="tag"/>.</summary>
    public bool TryGetKeyOfTag(string tag, out string key) => _keyByTag.TryGetValue(tag, out key!);

    public OrMapRecord Add(string key, Value value, long? ttlMs = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (ttlMs is <= 0) throw new ArgumentOutOfRangeException(nameof(ttlMs), ttlMs, "TTL must be a positive number of milliseconds");
        var timestamp = _hlc.Now();
        var record = new OrMapRecord(value, timestamp, timestamp.ToString(), ttlMs);
        Put(key, record);
        Merkle.Update(key, _items[key].Values);
        return record;
    }

    /// <summary>Tombstones every tag of <paramref name="key"/> whose value equals <paramref name="value"/> (structurally).</summary>
    /// <returns>The tombstoned tags, to send as OR_REMOVE.</returns>
    public IReadOnlyList<string> Remove(string key, Value value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (!_items.TryGetValue(key, out var records)) return [];
        var tags = records.Values.Where(r => r.Value.Equals(value)).Select(r => r.Tag).ToList();
        foreach (var tag in tags)
        {
            _tombstones.Add(tag);
            TakeLive(tag);
        }
        if (tags.Count > 0) RefreshMerkle(key);
        return tags;
    }

    /// <summary>
    /// Applies a remote record: ignored if its tag is tombstoned; a held tag is replaced only by a
    /// greater timestamp. A tag already live under another key is refused, since tags are unique
    /// by construction and only a misbehaving peer reuses one.
    /// </summary>
    /// <returns>Whether the map changed.</returns>
    public bool Apply(string key, OrMapRecord record)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(record);
        if (_tombstones.Contains(record.Tag)) return false;
        _hlc.Update(record.Timestamp);
        if (!TryPut(key, record, out _)) return false;
        RefreshMerkle(key);
        return true;
    }

    /// <summary>Tombstones <paramref name="tag"/> and drops the live record carrying it, under whichever key.</summary>
    /// <returns>Whether the map changed (the tag was new to the tombstone set).</returns>
    public bool ApplyTombstone(string tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        if (!_tombstones.Add(tag)) return false;
        if (TakeLive(tag) is { } removed) RefreshMerkle(removed.Key);
        return true;
    }

    /// <summary>
    /// Merges a remote key's records and the remote tombstones: adds the tombstones (dropping the
    /// live records they name), adds new tags, and replaces a held tag only on a greater timestamp.
    /// </summary>
    public MergeKeyResult MergeKey(string key, IReadOnlyList<OrMapRecord> records, IReadOnlyList<string> tombstones)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(tombstones);

        // Observe every timestamp before mutating, so a strict drift rejection leaves the map as it was.
        foreach (var record in records) _hlc.Update(record.Timestamp);

        List<string>? newTombstones = null;
        List<KeyValuePair<string, OrMapRecord>>? removed = null;
        HashSet<string>? touched = null;
        foreach (var tag in tombstones)
        {
            if (!_tombstones.Add(tag)) continue;
            (newTombstones ??= []).Add(tag);
            if (TakeLive(tag) is not { } gone) continue;
            (removed ??= []).Add(gone);
            (touched ??= new(StringComparer.Ordinal)).Add(gone.Key);
        }

        List<OrMapRecord>? added = null;
        List<OrMapRecord>? updated = null;
        foreach (var record in records)
        {
            if (_tombstones.Contains(record.Tag) || !TryPut(key, record, out var wasNew)) continue;
            if (wasNew) (added ??= []).Add(record);
            else (updated ??= []).Add(record);
            (touched ??= new(StringComparer.Ordinal)).Add(key);
        }

        if (touched is not null)
            foreach (var k in touched) RefreshMerkle(k);

        return added is null && updated is null && newTombstones is null && removed is null
            ? MergeKeyResult.Unchanged
            : new MergeKeyResult(added ?? [], updated ?? [], newTombstones ?? [], removed ?? []);
    }

    /// <summary>Values of the key's records that have not expired.</summary>
    public IReadOnlyList<Value> Get(string key)
    {
        if (!_items.TryGetValue(key, out var records)) return [];
        var now = _hlc.WallMillis();
        return records.Values.Where(r => !r.IsExpired(now)).Select(r => r.Value).ToList();
    }

    /// <summary>The key's records, without expired ones unless <paramref name="includeExpired"/> (sync leaves carry them all).</summary>
    public IReadOnlyList<OrMapRecord> GetRecords(string key, bool includeExpired = false)
    {
        if (!_items.TryGetValue(key, out var records)) return [];
        if (includeExpired) return records.Values.ToList();
        var now = _hlc.WallMillis();
        return records.Values.Where(r => !r.IsExpired(now)).ToList();
    }

    /// <summary>
    /// Forgets tombstones whose tag (a timestamp string) is strictly older than
    /// <paramref name="olderThan"/>. Tags that do not parse are kept. Tombstones are not hashed, so
    /// the Merkle tree does not change.
    /// </summary>
    /// <returns>The pruned tags.</returns>
    public IReadOnlyList<string> Prune(Timestamp olderThan)
    {
        List<string>? pruned = null;
        foreach (var tag in _tombstones)
            if (Timestamp.TryParse(tag, out var ts) && ts < olderThan) (pruned ??= []).Add(tag);
        if (pruned is null) return [];
        foreach (var tag in pruned) _tombstones.Remove(tag);
        return pruned;
    }

    /// <summary>Forgets every record and tombstone (a client told to reset its replica).</summary>
    public void Clear()
    {
        _items.Clear();
        _tombstones.Clear();
        _keyByTag.Clear();
        Merkle.Clear();
    }

    /// <summary>Stores a record under its key unless its tag lives under another key or a held record is not older.</summary>
    private bool TryPut(string key, OrMapRecord record, out bool wasNew)
    {
        wasNew = false;
        if (_keyByTag.TryGetValue(record.Tag, out var owner))
        {
            if (!string.Equals(owner, key, StringComparison.Ordinal)) return false;
            var held = _items[key][record.Tag];
            if (record.Timestamp <= held.Timestamp) return false;
        }
        else
        {
            wasNew = true;
        }
        Put(key, record);
        return true;
    }

    private void Put(string key, OrMapRecord record)
    {
        if (!_items.TryGetValue(key, out var records))
        {
            records = new Dictionary<string, OrMapRecord>(StringComparer.Ordinal);
            _items[key] = records;
        }
        records[record.Tag] = record;
        _keyByTag[record.Tag] = key;
    }

    /// <summary>Removes the live record tagged <paramref name="tag"/>; the caller refreshes the key's hash.</summary>
    private KeyValuePair<string, OrMapRecord>? TakeLive(string tag)
    {
        if (!_keyByTag.Remove(tag, out var key)) return null;
        var records = _items[key];
        records.Remove(tag, out var record);
        if (records.Count == 0) _items.Remove(key);
        return new(key, record!);
    }

    private void RefreshMerkle(string key)
    {
        if (_items.TryGetValue(key, out var records)) Merkle.Update(key, records.Values);
        else Merkle.Remove(key);
    }
}
