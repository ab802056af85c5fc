using System.Collections;
using System.Text;

namespace TopGun.Core.Protocol;

/// <summary>
/// A JS object with string keys and uniformly typed values (bucket hashes, counter state, per-key
/// results), in wire order, with order-independent structural equality like a JSON object.
/// </summary>
public sealed class WireMap<T> : IReadOnlyCollection<KeyValuePair<string, T>>, IEquatable<WireMap<T>>
{
    public static readonly WireMap<T> Empty = new([]);

    private readonly KeyValuePair<string, T>[] _entries;
    private Dictionary<string, T>? _index;

    /// <summary>Entries in wire order; a repeated key keeps its last value, as a JS object does.</summary>
    public WireMap(KeyValuePair<string, T>[] entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        _entries = Deduplicate(entries);
    }

    public int Count => _entries.Length;
    public ReadOnlySpan<KeyValuePair<string, T>> Entries => _entries;

    public bool TryGetValue(string key, out T value)
    {
        if (_entries.Length <= 8)
        {
            foreach (var e in _entries)
                if (string.Equals(e.Key, key, StringComparison.Ordinal)) { value = e.Value; return true; }
            value = default!;
            return false;
        }
        _index ??= BuildIndex(_entries);
        return _index.TryGetValue(key, out value!);
    }

    public ReadOnlySpan<KeyValuePair<string, T>>.Enumerator GetEnumerator() => new ReadOnlySpan<KeyValuePair<string, T>>(_entries).GetEnumerator();
    IEnumerator<KeyValuePair<string, T>> IEnumerable<KeyValuePair<string, T>>.GetEnumerator() => ((IEnumerable<KeyValuePair<string, T>>)_entries).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => _entries.GetEnumerator();

    public bool Equals(WireMap<T>? other)
    {
        if (other is null || other._entries.Length != _entries.Length) return false;
        var cmp = EqualityComparer<T>.Default;
        foreach (var e in _entries)
            if (!other.TryGetValue(e.Key, out var v) || !cmp.Equals(e.Value, v)) return false;
        return true;
    }

    public override bool Equals(object? obj) => obj is WireMap<T> m && Equals(m);

    public override int GetHashCode()
    {
        var sum = 0;
        foreach (var e in _entries) sum += HashCode.Combine(StringComparer.Ordinal.GetHashCode(e.Key), e.Value);
        return sum;
    }

    public override string ToString()
    {
        var sb = new StringBuilder("{");
        for (var i = 0; i < _entries.Length; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(_entries[i].Key).Append(": ").Append(_entries[i].Value);
        }
        return sb.Append('}').ToString();
    }

    private static Dictionary<string, T> BuildIndex(KeyValuePair<string, T>[] entries)
    {
        var d = new Dictionary<string, T>(entries.Length, StringComparer.Ordinal);
        foreach (var e in entries) d[e.Key] = e.Value;
        return d;
    }

    private static KeyValuePair<string, T>[] Deduplicate(KeyValuePair<string, T>[] entries)
    {
        if (entries.Length < 2) return entries;
        var seen = new HashSet<string>(entries.Length, StringComparer.Ordinal);
        var duplicate = false;
        foreach (var e in entries)
            if (!seen.Add(e.Key)) { duplicate = true; break; }
        if (!duplicate) return entries;
        var index = BuildIndex(entries);
        var result = new List<KeyValuePair<string, T>>(index.Count);
        seen.Clear();
        foreach (var e in entries)
            if (seen.Add(e.Key)) result.Add(new(e.Key, index[e.Key]));
        return result.ToArray();
    }
}
