using TopGun.Core.Values;

namespace TopGun.Core.Queries;

/// <summary>
/// The part of a sort field's value that ordering looks at, extracted once per row so sorting does
/// not re-read maps, and small enough to travel inside a cursor.
/// </summary>
internal readonly record struct SortKey(SortKeyRank Rank, double Number, string? Text)
{
    public static readonly SortKey Missing = new(SortKeyRank.Missing, 0, null);

    public static SortKey Of(Value? value) => value switch
    {
        null => Missing,
        NullValue => new SortKey(SortKeyRank.Null, 0, null),
        NumberValue n => new SortKey(SortKeyRank.Number, n.Item, null),
        StringValue s => new SortKey(SortKeyRank.String, 0, s.Item),
        BoolValue b => new SortKey(SortKeyRank.Bool, b.Item ? 1 : 0, null),
        _ => new SortKey(SortKeyRank.Structured, 0, CanonicalText.Of(value)),
    };

    /// <summary>
    /// Present values order by type (number, string, bool, structured) and then by value, reversed for
    /// descending; null and then missing always come last so a page never starts with holes.
    /// </summary>
    public static int Compare(in SortKey a, in SortKey b, SortDirection direction)
    {
        if (a.Rank >= SortKeyRank.Null || b.Rank >= SortKeyRank.Null) return a.Rank.CompareTo(b.Rank);
        int c;
        if (a.Rank != b.Rank) c = a.Rank.CompareTo(b.Rank);
        // double.CompareTo is total (NaN first, -0 == 0), which keeps the ordering deterministic.
        else if (a.Rank is SortKeyRank.Number or SortKeyRank.Bool) c = a.Number.CompareTo(b.Number);
        else c = Math.Sign(string.CompareOrdinal(a.Text, b.Text));
        return direction == SortDirection.Desc ? -c : c;
    }
}

internal enum SortKeyRank : byte
{
    Number = 0,
    String = 1,
    Bool = 2,
    Structured = 3,
    Null = 4,
    Missing = 5,
}
