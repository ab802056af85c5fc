using System.Globalization;
using System.Text;

namespace TopGun.Core.Values;

/// <summary>
/// An immutable JSON-like value (null, bool, number, string, bytes, array, map) as carried by the
/// TopGun protocol. Numbers are IEEE doubles because the peers are JavaScript programs; maps keep
/// insertion order because JS objects do, and the wire form preserves it.
/// Equality is structural (numbers by value, maps independent of key order).
/// </summary>
public abstract class Value : IEquatable<Value>
{
    private protected Value() { }

    public static readonly Value Null = new NullValue();
    public static readonly Value True = new BoolValue(true);
    public static readonly Value False = new BoolValue(false);

    public abstract ValueKind Kind { get; }

    public bool IsNull => Kind == ValueKind.Null;

    public static Value Of(bool b) => b ? True : False;
    public static Value Of(double d) => new NumberValue(d);
    public static Value Of(string? s) => s is null ? Null : new StringValue(s);
    public static Value Of(byte[] bytes) => new BytesValue(bytes);
    public static Value Array(params Value[] items) => new ArrayValue(items);
    public static Value Array(IEnumerable<Value> items) => new ArrayValue(items.ToArray());
    public static Value Map(params (string Key, Value Value)[] entries) =>
        new MapValue(entries.Select(e => new KeyValuePair<string, Value>(e.Key, e.Value)).ToArray());
    public static Value Map(IEnumerable<KeyValuePair<string, Value>> entries) => new MapValue(entries.ToArray());

    public static implicit operator Value(string s) => Of(s);
    public static implicit operator Value(double d) => Of(d);
    public static implicit operator Value(bool b) => Of(b);

    /// <summary>Field of a map value, or null when this is not a map or has no such field.</summary>
    public virtual Value? this[string field] => null;

    public bool TryGetBool(out bool b)
    {
        if (this is BoolValue v) { b = v.Item; return true; }
        b = false; return false;
    }

    public bool TryGetNumber(out double d)
    {
        if (this is NumberValue v) { d = v.Item; return true; }
        d = 0; return false;
    }

    public bool TryGetString(out string s)
    {
        if (this is StringValue v) { s = v.Item; return true; }
        s = ""; return false;
    }

    public abstract bool Equals(Value? other);
    public override bool Equals(object? obj) => obj is Value v && Equals(v);
    public abstract override int GetHashCode();

    public static bool operator ==(Value? a, Value? b) => a is null ? b is null : a.Equals(b);
    public static bool operator !=(Value? a, Value? b) => !(a == b);

    /// <summary>Compact JSON text (bytes rendered as an array of numbers, like JSON.stringify of a Uint8Array's values).</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        JsonText.Append(sb, this);
        return sb.ToString();
    }
}

public sealed class NullValue : Value
{
    internal NullValue() { }
    public override ValueKind Kind => ValueKind.Null;
    public override bool Equals(Value? other) => other is NullValue;
    public override int GetHashCode() => 0;
}

public sealed class BoolValue : Value
{
    internal BoolValue(bool item) => Item = item;
    public bool Item { get; }
    public override ValueKind Kind => ValueKind.Bool;
    public override bool Equals(Value? other) => other is BoolValue b && b.Item == Item;
    public override int GetHashCode() => Item ? 1 : 2;
}

public sealed class NumberValue : Value
{
    public NumberValue(double item) => Item = item;
    public double Item { get; }
    public override ValueKind Kind => ValueKind.Number;
    // JS semantics: 0 === -0; NaN is kept equal to itself so records holding NaN still converge.
    public override bool Equals(Value? other) => other is NumberValue n && (n.Item == Item || (double.IsNaN(n.Item) && double.IsNaN(Item)));
    public override int GetHashCode() => Item == 0 ? 0 : Item.GetHashCode();
}

public sealed class StringValue : Value
{
    public StringValue(string item) => Item = item ?? throw new ArgumentNullException(nameof(item));
    public string Item { get; }
    public override ValueKind Kind => ValueKind.String;
    public override bool Equals(Value? other) => other is StringValue s && string.Equals(s.Item, Item, StringComparison.Ordinal);
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Item);
}

public sealed class BytesValue : Value
{
    private readonly byte[] _bytes;
    public BytesValue(byte[] bytes) => _bytes = bytes ?? throw new ArgumentNullException(nameof(bytes));
    public ReadOnlySpan<byte> Span => _bytes;
    public ReadOnlyMemory<byte> Memory => _bytes;
    public override ValueKind Kind => ValueKind.Bytes;
    public override bool Equals(Value? other) => other is BytesValue b && b.Span.SequenceEqual(Span);
    public override int GetHashCode()
    {
        var h = new HashCode();
        h.AddBytes(_bytes);
        return h.ToHashCode();
    }
}

public sealed class ArrayValue : Value
{
    private readonly Value[] _items;
    public ArrayValue(Value[] items) => _items = items ?? throw new ArgumentNullException(nameof(items));
    public IReadOnlyList<Value> Items => _items;
    /// <summary>The items without the interface dispatch of <see cref="Items"/>, for the encoder's loop.</summary>
    internal ReadOnlySpan<Value> ItemSpan => _items;
    public int Count => _items.Length;
    public override ValueKind Kind => ValueKind.Array;
    public override bool Equals(Value? other)
    {
        if (other is not ArrayValue a || a._items.Length != _items.Length) return false;
        for (var i = 0; i < _items.Length; i++)
            if (!_items[i].Equals(a._items[i])) return false;
        return true;
    }
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var item in _items) h.Add(item.GetHashCode());
        return h.ToHashCode();
    }
}

public sealed class MapValue : Value
{
    private const int IndexThreshold = 8;
    private readonly KeyValuePair<string, Value>[] _entries;
    private Dictionary<string, Value>? _index;

    /// <summary>Entries in insertion order; a repeated key keeps its first position and its last value (as a JS object literal does).</summary>
    public MapValue(KeyValuePair<string, Value>[] entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        _entries = HasDuplicateKeys(entries) ? Dedupe(entries) : entries;
    }

    public IReadOnlyList<KeyValuePair<string, Value>> Entries => _entries;
    /// <summary>The entries without the interface dispatch of <see cref="Entries"/>, for the encoder's loop.</summary>
    internal ReadOnlySpan<KeyValuePair<string, Value>> EntrySpan => _entries;
    public int Count => _entries.Length;
    public override ValueKind Kind => ValueKind.Map;

    public override Value? this[string field] => TryGet(field, out var v) ? v : null;

    public bool TryGet(string field, out Value value)
    {
        if (_entries.Length > IndexThreshold)
        {
            _index ??= _entries.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
            return _index.TryGetValue(field, out value!);
        }
        foreach (var e in _entries)
        {
            if (string.Equals(e.Key, field, StringComparison.Ordinal)) { value = e.Value; return true; }
        }
        value = Null;
        return false;
    }

    public override bool Equals(Value? other)
    {
        if (other is not MapValue m || m._entries.Length != _entries.Length) return false;
        foreach (var e in _entries)
            if (!m.TryGet(e.Key, out var v) || !v.Equals(e.Value)) return false;
        return true;
    }

    public override int GetHashCode()
    {
        // Order-independent: sum of entry hashes.
        var sum = 0;
        foreach (var e in _entries) sum += HashCode.Combine(StringComparer.Ordinal.GetHashCode(e.Key), e.Value.GetHashCode());
        return sum;
    }

    private static bool HasDuplicateKeys(KeyValuePair<string, Value>[] entries)
    {
        if (entries.Length < 2) return false;
        if (entries.Length <= IndexThreshold)
        {
            // Small maps (the common case on the decode path): a quadratic scan beats allocating a set.
            for (var i = 1; i < entries.Length; i++)
                for (var j = 0; j < i; j++)
                    if (string.Equals(entries[i].Key, entries[j].Key, StringComparison.Ordinal)) return true;
            return false;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in entries) if (!seen.Add(e.Key)) return true;
        return false;
    }

    private static KeyValuePair<string, Value>[] Dedupe(KeyValuePair<string, Value>[] entries)
    {
        var order = new List<string>();
        var values = new Dictionary<string, Value>(StringComparer.Ordinal);
        foreach (var e in entries)
        {
            if (!values.ContainsKey(e.Key)) order.Add(e.Key);
            values[e.Key] = e.Value;
        }
        return order.Select(k => new KeyValuePair<string, Value>(k, values[k])).ToArray();
    }
}
