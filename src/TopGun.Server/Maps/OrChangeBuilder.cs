using TopGun.Core.Crdt;

namespace TopGun.Server.Maps;

/// <summary>Collects an OR command's changes per key in arrival order.</summary>
internal sealed class OrChangeBuilder
{
    private readonly Dictionary<string, (List<OrMapRecord> Records, List<string> Tombstones)> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _lastChange = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private readonly List<MapChange> _changes = [];

    public int NewRecords { get; set; }

    public int NewTombstoneCount { get; private set; }

    public bool IsEmpty => _changes.Count == 0;

    public void Record(string key, OrMapRecord record)
    {
        Slot(key).Records.Add(record);
        Add(new MapChange(key, null, record, null));
    }

    public void Tombstone(string key, string tag)
    {
        Slot(key).Tombstones.Add(tag);
        NewTombstoneCount++;
        Add(new MapChange(key, null, null, tag));
    }

    /// <summary>The changes in arrival order, the last one of each key carrying the key's records after the command.</summary>
    public IReadOnlyList<MapChange> Changes(Func<string, IReadOnlyList<OrMapRecord>> recordsAfter)
    {
        var changes = _changes.ToArray();
        foreach (var (key, index) in _lastChange) changes[index] = changes[index] with { OrRecords = recordsAfter(key) };
        return changes;
    }

    public IReadOnlyList<OrEntry> Entries() =>
        _order.Select(k => new OrEntry(k, _byKey[k].Records, _byKey[k].Tombstones)).ToArray();

    private void Add(MapChange change)
    {
        _lastChange[change.Key] = _changes.Count;
        _changes.Add(change);
    }

    private (List<OrMapRecord> Records, List<string> Tombstones) Slot(string key)
    {
        if (!_byKey.TryGetValue(key, out var slot))
        {
            _byKey[key] = slot = ([], []);
            _order.Add(key);
        }
        return slot;
    }
}
