using TopGun.Core.Values;

namespace TopGun.Core.Queries;

/// <summary>
/// The JavaScript comparison rules the TS server applies to predicates, restricted to what survives
/// the wire. A C# null stands for JS <c>undefined</c> (a missing attribute or an absent <c>value</c>).
/// </summary>
internal static class JsComparison
{
    /// <summary>
    /// <c>a === b</c>. Arrays, maps and byte arrays are objects in JS, and two separately decoded
    /// objects are never identical, so they are never equal here either (TS does no deep equality).
    /// </summary>
    public static bool StrictEquals(Value? a, Value? b)
    {
        if (a is null || b is null) return a is null && b is null;
        return (a, b) switch
        {
            (NullValue, NullValue) => true,
            (BoolValue x, BoolValue y) => x.Item == y.Item,
            // Plain == gives JS's NaN !== NaN and 0 === -0.
            (NumberValue x, NumberValue y) => x.Item == y.Item,
            (StringValue x, StringValue y) => string.Equals(x.Item, y.Item, StringComparison.Ordinal),
            _ => false,
        };
    }

    /// <summary>
    /// <c>a &gt; b</c> and friends between two numbers, two strings (UTF-16 code unit order, as JS) or
    /// two booleans. Mixed types, null and undefined never compare: JS would coerce them
    /// (<c>"10" &gt; 9</c>, <c>null &gt;= 0</c>), which no query author means.
    /// </summary>
    public static bool Relational(PredicateOp op, Value? a, Value? b)
    {
        int cmp;
        switch (a, b)
        {
            case (NumberValue x, NumberValue y):
                // Direct operators keep NaN false for every comparison.
                return op switch
                {
                    PredicateOp.Gt => x.Item > y.Item,
                    PredicateOp.Gte => x.Item >= y.Item,
                    PredicateOp.Lt => x.Item < y.Item,
                    PredicateOp.Lte => x.Item <= y.Item,
                    _ => false,
                };
            case (StringValue x, StringValue y):
                cmp = string.CompareOrdinal(x.Item, y.Item);
                break;
            case (BoolValue x, BoolValue y):
                cmp = x.Item.CompareTo(y.Item);
                break;
            default:
                return false;
        }
        return op switch
        {
            PredicateOp.Gt => cmp > 0,
            PredicateOp.Gte => cmp >= 0,
            PredicateOp.Lt => cmp < 0,
            PredicateOp.Lte => cmp <= 0,
            _ => false,
        };
    }
}
