using TopGun.Core.Crdt;

namespace TopGun.Server.Maps;

/// <summary>Collects an OR command's changes per key in arrival order.</summary>
internal sealed class OrChangeBuilder
{
    private readonly Dictionary<string, (List<OrMapRecord> Records, List<string> Tombstones)> _byKey = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    public List<MapChange> Changes { get; } = [];

    public int NewRecords { get; set; }

    public int NewTombstoneCount { get; private set; }

    public bool IsEmpty => Changes.Count == 0;

    public void Record(string key, OrMapRecord record)
    {
        Slot(key).Records.Add(record);
        Changes.Add(new MapChange(key, null, record, null));
    }

    public void Tombstone(string key, string tag)
    {
        Slot(key).Tombstones.Add(tag);
        NewTombstoneCount++;
        Changes.Add(new MapChange(key, null, null, tag));
    }

    public IReadOnlyList<OrEntry> Entries() =>
        _order.Select(k => new OrEntry(k, _byKey[k].Records, _byKey[k].Tombstones)).ToArray();

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
