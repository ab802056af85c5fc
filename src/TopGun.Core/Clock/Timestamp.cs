using System.Globalization;
using TopGun.Core.Values;

namespace TopGun.Core.Clock;

/// <summary>
/// A Hybrid Logical Clock timestamp. Ordered by millis, then counter, then node id (ordinal; node
/// ids are lowercase ASCII so this agrees with the TS peers' <c>localeCompare</c>).
/// </summary>
public readonly record struct Timestamp(long Millis, int Counter, string NodeId) : IComparable<Timestamp>
{
    public static readonly Timestamp Zero = new(0, 0, "");

    public int CompareTo(Timestamp other)
    {
        var c = Millis.CompareTo(other.Millis);
        if (c != 0) return c;
        c = Counter.CompareTo(other.Counter);
        if (c != 0) return c;
        return string.CompareOrdinal(NodeId, other.NodeId);
    }

    public static bool operator <(Timestamp a, Timestamp b) => a.CompareTo(b) < 0;
    public static bool operator >(Timestamp a, Timestamp b) => a.CompareTo(b) > 0;
    public static bool operator <=(Timestamp a, Timestamp b) => a.CompareTo(b) <= 0;
    public static bool operator >=(Timestamp a, Timestamp b) => a.CompareTo(b) >= 0;

    /// <summary>The protocol's string form <c>millis:counter:nodeId</c> (OR-map tags, Merkle hashes).</summary>
    public override string ToString() =>
        string.Concat(Millis.ToString(CultureInfo.InvariantCulture), ":", Counter.ToString(CultureInfo.InvariantCulture), ":", NodeId);

    /// <summary>Parses the string form; the node id is everything after the second colon.</summary>
    public static bool TryParse(string? text, out Timestamp timestamp)
    {
        timestamp = default;
        if (text is null) return false;
        var first = text.IndexOf(':');
        if (first <= 0) return false;
        var second = text.IndexOf(':', first + 1);
        if (second < 0) return false;
        if (!long.TryParse(text.AsSpan(0, first), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var millis)) return false;
        if (!int.TryParse(text.AsSpan(first + 1, second - first - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var counter)) return false;
        timestamp = new Timestamp(millis, counter, text[(second + 1)..]);
        return true;
    }

    /// <summary>The timestamp as a wire value <c>{millis, counter, nodeId}</c>.</summary>
    public Value ToValue() => Value.Map(("millis", Value.Of(Millis)), ("counter", Value.Of(Counter)), ("nodeId", Value.Of(NodeId)));
}
