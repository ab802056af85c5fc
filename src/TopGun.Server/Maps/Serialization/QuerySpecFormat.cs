using TopGun.Core.Queries;
using TopGun.Core.Values;

namespace TopGun.Server.Maps.Serialization;

/// <summary>
/// A <see cref="QuerySpec"/> travels as the query value it is parsed from (<c>predicate</c>, <c>sort</c>,
/// <c>limit</c>, <c>cursor</c>) and is parsed again on the receiving node: the parser stays the one
/// place that validates queries, and the rebuilt spec has the same fingerprint, so cursors stay valid.
/// </summary>
internal static class QuerySpecFormat
{
    public static Value ToValue(QuerySpec spec)
    {
        var entries = new List<(string, Value)>(4);
        if (spec.Filter is { } filter) entries.Add(("predicate", NodeValue(filter)));
        if (spec.Sort.Count > 0)
            entries.Add(("sort", Value.Map(spec.Sort.Select(f => (f.Field, Value.Of(f.Direction == SortDirection.Asc ? "asc" : "desc"))).ToArray())));
        if (spec.Limit is { } limit) entries.Add(("limit", Value.Of(limit)));
        if (spec.Cursor is { } cursor) entries.Add(("cursor", Value.Of(cursor)));
        return Value.Map(entries.ToArray());
    }

    public static QuerySpec FromValue(Value value) => QuerySpec.Parse(value);

    private static Value NodeValue(PredicateNode node)
    {
        var entries = new List<(string, Value)>(4) { ("op", Value.Of(OpName(node.Op))) };
        if (node.Attribute is { } attribute) entries.Add(("attribute", Value.Of(attribute)));
        // An absent operand is JS undefined, which means something else than null: keep it absent.
        if (node.Operand is { } operand) entries.Add(("value", operand));
        if (node.IsLogical) entries.Add(("children", Value.Array(node.Children.Select(NodeValue).ToArray())));
        return Value.Map(entries.ToArray());
    }

    private static string OpName(PredicateOp op) => op switch
    {
        PredicateOp.Eq => "eq",
        PredicateOp.Neq => "neq",
        PredicateOp.Gt => "gt",
        PredicateOp.Gte => "gte",
        PredicateOp.Lt => "lt",
        PredicateOp.Lte => "lte",
        PredicateOp.Like => "like",
        PredicateOp.Regex => "regex",
        PredicateOp.Contains => "contains",
        PredicateOp.ContainsAll => "containsAll",
        PredicateOp.ContainsAny => "containsAny",
        PredicateOp.And => "and",
        PredicateOp.Or => "or",
        PredicateOp.Not => "not",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown predicate operator."),
    };
}
