namespace TopGun.Core.Queries;

/// <summary>The operators of a predicate node, named on the wire in camelCase (<c>eq</c>, <c>containsAll</c> …).</summary>
public enum PredicateOp
{
    Eq,
    Neq,
    Gt,
    Gte,
    Lt,
    Lte,
    Like,
    Regex,
    Contains,
    ContainsAll,
    ContainsAny,
    And,
    Or,
    Not,
}
