using System.Text.RegularExpressions;
using TopGun.Core.Values;

namespace TopGun.Core.Queries;

/// <summary>
/// A validated node of a query's predicate tree (<c>{op, attribute?, value?, children?}</c>), or a
/// leaf built from a <c>where</c> entry. Immutable; built only by <see cref="QuerySpec.TryParse"/>.
/// </summary>
public sealed class PredicateNode
{
    /// <summary>Attribute name that refers to the record key instead of a field of its value.</summary>
    public const string KeyAttribute = "_key";

    private readonly Regex? _regex;

    internal PredicateNode(PredicateOp op, string? attribute, Value? operand, IReadOnlyList<PredicateNode> children, Regex? regex = null)
    {
        Op = op;
        Attribute = attribute;
        Operand = operand;
        Children = children;
        _regex = regex;
    }

    public PredicateOp Op { get; }

    /// <summary>The field compared by a leaf (a literal field name: TS does not resolve dotted paths); null for and/or/not.</summary>
    public string? Attribute { get; }

    /// <summary>The leaf's <c>value</c>; null when the node had none (JS <c>undefined</c>).</summary>
    public Value? Operand { get; }

    public IReadOnlyList<PredicateNode> Children { get; }

    /// <summary>The match budget of a compiled <c>regex</c> leaf; null for other nodes.</summary>
    internal TimeSpan? RegexTimeout => _regex?.MatchTimeout;

    internal RegexOptions? RegexOptions => _regex?.Options;

    public bool IsLogical => Op is PredicateOp.And or PredicateOp.Or or PredicateOp.Not;

    /// <summary>Evaluates the node against a record; <paramref name="value"/> is the record's value, usually a map.</summary>
    public bool Matches(string key, Value value)
    {
        switch (Op)
        {
            case PredicateOp.And:
                foreach (var child in Children)
                    if (!child.Matches(key, value)) return false;
                return true;
            case PredicateOp.Or:
                foreach (var child in Children)
                    if (child.Matches(key, value)) return true;
                return false;
            case PredicateOp.Not:
                // TS: NOT of nothing is vacuously true.
                return Children.Count == 0 || !Children[0].Matches(key, value);
        }

        var actual = Resolve(Attribute!, key, value);
        switch (Op)
        {
            case PredicateOp.Eq:
                return JsComparison.StrictEquals(actual, Operand);
            case PredicateOp.Neq:
                return !JsComparison.StrictEquals(actual, Operand);
            case PredicateOp.Gt:
            case PredicateOp.Gte:
            case PredicateOp.Lt:
            case PredicateOp.Lte:
                return JsComparison.Relational(Op, actual, Operand);
            case PredicateOp.Like:
                return actual is StringValue likeInput && LikePattern.IsMatch(likeInput.Item, ((StringValue)Operand!).Item);
            case PredicateOp.Regex:
                return actual is StringValue regexInput && RegexMatches(regexInput.Item);
            case PredicateOp.Contains:
                return Contains(actual, Operand);
            case PredicateOp.ContainsAll:
                foreach (var wanted in ((ArrayValue)Operand!).Items)
                    if (!Contains(actual, wanted)) return false;
                return actual is StringValue or ArrayValue;
            case PredicateOp.ContainsAny:
                foreach (var wanted in ((ArrayValue)Operand!).Items)
                    if (Contains(actual, wanted)) return true;
                return false;
            default:
                return false;
        }
    }

    /// <summary>The attribute of a record as JS would read it: <c>undefined</c> (null) when the value is not a map or lacks the field.</summary>
    internal static Value? Resolve(string attribute, string key, Value value)
    {
        if (attribute == KeyAttribute) return new StringValue(key);
        return value is MapValue map && map.TryGet(attribute, out var v) ? v : null;
    }

    private bool RegexMatches(string input)
    {
        try
        {
            return _regex!.IsMatch(input);
        }
        catch (RegexMatchTimeoutException)
        {
            // A pathological pattern costs one timeout per record and then simply does not match.
            return false;
        }
    }

    /// <summary>
    /// A string contains a substring case-insensitively (as TS's toLowerCase().includes()); an array
    /// contains an element by <c>===</c>.
    /// </summary>
    private static bool Contains(Value? actual, Value? wanted)
    {
        switch (actual)
        {
            case StringValue s:
                return wanted is StringValue w && s.Item.Contains(w.Item, StringComparison.OrdinalIgnoreCase);
            case ArrayValue a:
                foreach (var item in a.Items)
                    if (JsComparison.StrictEquals(item, wanted)) return true;
                return false;
            default:
                return false;
        }
    }
}
