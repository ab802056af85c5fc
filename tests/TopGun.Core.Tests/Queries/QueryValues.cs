using TopGun.Core.Queries;
using TopGun.Core.Values;

namespace TopGun.Core.Tests.Queries;

/// <summary>Builds wire-shaped query values the way a TS client would send them.</summary>
internal static class QueryValues
{
    public static Value Leaf(string op, string attribute, Value value) =>
        Value.Map(("op", op), ("attribute", attribute), ("value", value));

    public static Value LeafWithoutValue(string op, string attribute) =>
        Value.Map(("op", op), ("attribute", attribute));

    public static Value Node(string op, params Value[] children) =>
        Value.Map(("op", op), ("children", Value.Array(children)));

    public static Value WithPredicate(Value predicate) => Value.Map(("predicate", predicate));

    public static Value WithWhere(params (string Field, Value Value)[] where) => Value.Map(("where", Value.Map(where)));

    public static Value Ops(params (string Op, Value Value)[] ops) => Value.Map(ops);

    public static Value Strings(params string[] items) => Value.Array(items.Select(Value.Of));

    public static Value Record(params (string Field, Value Value)[] fields) => Value.Map(fields);

    public static QuerySpec Spec(Value query) => QuerySpec.Parse(query);

    public static bool Matches(Value predicate, Value record, string key = "k1") =>
        Spec(WithPredicate(predicate)).Matches(key, record);

    public static string ParseError(Value query)
    {
        Assert.False(QuerySpec.TryParse(query, out _, out var error));
        return error!;
    }
}
