using System.Collections;
using System.Runtime.CompilerServices;
using System.Text;

namespace TopGun.Core.Protocol;

/// <summary>
/// An immutable list with structural equality, so message records that carry arrays compare by
/// content (records only compare their fields by reference otherwise).
/// </summary>
[CollectionBuilder(typeof(WireList), nameof(WireList.Create))]
public sealed class WireList<T> : IReadOnlyList<T>, IEquatable<WireList<T>>
{
    public static readonly WireList<T> Empty = new([]);

    private readonly T[] _items;

    public WireList(T[] items) => _items = items ?? throw new ArgumentNullException(nameof(items));

    public int Count => _items.Length;
    public T this[int index] => _items[index];
    public ReadOnlySpan<T> AsSpan() => _items;

    public ReadOnlySpan<T>.Enumerator GetEnumerator() => new ReadOnlySpan<T>(_items).GetEnumerator();
    IEnumerator<T> IEnumerable<T>.GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    public bool Equals(WireList<T>? other)
    {
        if (other is null || other._items.Length != _items.Length) return false;
        var cmp = EqualityComparer<T>.Default;
        for (var i = 0; i < _items.Length; i++)
            if (!cmp.Equals(_items[i], other._items[i])) return false;
        return true;
    }

    public override bool Equals(object? obj) => obj is WireList<T> l && Equals(l);

    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var item in _items) h.Add(item);
        return h.ToHashCode();
    }

    public override string ToString()
    {
        var sb = new StringBuilder("[");
        for (var i = 0; i < _items.Length; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(_items[i]);
        }
        return sb.Append(']').ToString();
    }

    public static implicit operator WireList<T>(T[] items) => new(items);
}

/// <summary>Builds <see cref="WireList{T}"/> instances, also from collection expressions.</summary>
public static class WireList
{
    public static WireList<T> Create<T>(ReadOnlySpan<T> items) => items.IsEmpty ? WireList<T>.Empty : new WireList<T>(items.ToArray());
}
