using System.Buffers;
using System.Globalization;
using TopGun.Core.Crdt;
using TopGun.Core.Values;

namespace TopGun.Core.Merkle;

/// <summary>
/// The hash of one OR-map key's records (protocol §7): fnv1a of <c>key:&lt;key&gt;</c> and, per tag in
/// ordinal order, <c>tag:V:millis:counter:nodeId</c> (plus <c>:ttl=&lt;ttlMs&gt;</c>), joined by <c>|</c>.
/// The TS peers render V with <c>JSON.stringify(value, Object.keys(value).sort())</c>; that allow-list
/// applies at every nesting level, so nested keys that are not top-level keys vanish from the hash.
/// </summary>
public static class OrEntryHash
{
    private static readonly Comparison<OrMapRecord> ByTag = (a, b) => string.CompareOrdinal(a.Tag, b.Tag);

    public static uint Compute(string key, IReadOnlyCollection<OrMapRecord> records)
    {
        var h = Fnv1a.Append(Fnv1a.Offset, "key:");
        h = Fnv1a.Append(h, key);
        if (records.Count == 0) return h;

        var sorted = ArrayPool<OrMapRecord>.Shared.Rent(records.Count);
        try
        {
            var n = 0;
            foreach (var r in records) sorted[n++] = r;
            var span = sorted.AsSpan(0, n);
            if (n > 1) span.Sort(ByTag);
            foreach (var record in span) h = AppendRecord(Fnv1a.Append(h, '|'), record);
        }
        finally
        {
            Array.Clear(sorted, 0, records.Count);
            ArrayPool<OrMapRecord>.Shared.Return(sorted);
        }
        return h;
    }

    /// <summary>V as the TS peers print it: <c>null</c>, a primitive's JS string form, or the allow-listed JSON text of an object or array.</summary>
    public static string RenderValue(Value value) => value switch
    {
        NullValue => "null",
        BoolValue b => b.Item ? "true" : "false",
        NumberValue n => JsNumber.ToString(n.Item),
        StringValue s => s.Item,
        _ => JsonText.Stringify(value, SortedOwnKeys(value)),
    };

    private static uint AppendRecord(uint h, OrMapRecord record)
    {
        h = Fnv1a.Append(h, record.Tag);
        h = Fnv1a.Append(h, ':');
        h = AppendValue(h, record.Value);
        h = Fnv1a.Append(h, ':');
        h = Fnv1a.Append(h, record.Timestamp.Millis);
        h = Fnv1a.Append(h, ':');
        h = Fnv1a.Append(h, record.Timestamp.Counter);
        h = Fnv1a.Append(h, ':');
        h = Fnv1a.Append(h, record.Timestamp.NodeId);
        if (record.TtlMs is { } ttl)
        {
            h = Fnv1a.Append(h, ":ttl=");
            h = Fnv1a.Append(h, ttl);
        }
        return h;
    }

    private static uint AppendValue(uint h, Value value)
    {
        switch (value)
        {
            case StringValue s:
                return Fnv1a.Append(h, s.Item);
            case NumberValue n when Math.Abs(n.Item) < 1e15 && n.Item == Math.Floor(n.Item):
                // Integral doubles below 1e15 print as plain integers in JS (and -0 as "0").
                return Fnv1a.Append(h, (long)n.Item);
            default:
                return Fnv1a.Append(h, RenderValue(value));
        }
    }

    /// <summary>
    /// <c>Object.keys(value).sort()</c>: own keys (indices for arrays and byte arrays) in UTF-16
    /// code-unit order, which is JS's default sort and <see cref="string.CompareOrdinal(string, string)"/>.
    /// </summary>
    private static string[] SortedOwnKeys(Value value)
    {
        string[] keys = value switch
        {
            MapValue m => m.Entries.Select(e => e.Key).ToArray(),
            ArrayValue a => Indices(a.Count),
            BytesValue b => Indices(b.Span.Length),
            _ => [],
        };
        Array.Sort(keys, StringComparer.Ordinal);
        return keys;
    }

    private static string[] Indices(int count)
    {
        var keys = new string[count];
        for (var i = 0; i < count; i++) keys[i] = i.ToString(CultureInfo.InvariantCulture);
        return keys;
    }
}
