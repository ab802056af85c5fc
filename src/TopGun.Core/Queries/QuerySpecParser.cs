using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using TopGun.Core.Values;

namespace TopGun.Core.Queries;

/// <summary>
/// Turns a wire query into a <see cref="QuerySpec"/>, rejecting anything the TS server would only
/// have failed on silently (unknown operators, non-string patterns) with a message naming the path.
/// Unknown top-level keys are ignored so newer clients keep working.
/// </summary>
internal sealed class QuerySpecParser
{
    private static readonly IReadOnlyList<PredicateNode> NoChildren = [];

    private int _nodes;

    private QuerySpecParser() { }

    public static bool TryParse(Value query, [NotNullWhen(true)] out QuerySpec? spec, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(query);
        spec = null;
        try
        {
            spec = new QuerySpecParser().Parse(query);
            error = null;
            return true;
        }
        catch (QueryFormatException e)
        {
            error = e.Message;
            return false;
        }
    }

    private QuerySpec Parse(Value query)
    {
        if (query.IsNull) return QuerySpec.All;
        if (query is not MapValue map) throw Fail("query", "must be a map");

        PredicateNode? filter;
        if (map.TryGet("predicate", out var predicate) && !predicate.IsNull)
            filter = ParseNode(predicate, "predicate", 1);
        else if (map.TryGet("where", out var where) && !where.IsNull)
            filter = ParseWhere(where);
        else
            filter = null;

        var sort = map.TryGet("sort", out var sortValue) && !sortValue.IsNull ? ParseSort(sortValue) : [];
        var limit = map.TryGet("limit", out var limitValue) && !limitValue.IsNull ? ParseLimit(limitValue) : (int?)null;

        string? cursor = null;
        if (map.TryGet("cursor", out var cursorValue) && !cursorValue.IsNull)
        {
            if (!cursorValue.TryGetString(out var text)) throw Fail("cursor", "must be a string");
            cursor = text.Length == 0 ? null : text;
        }

        return new QuerySpec(filter, sort, limit, cursor);
    }

    private PredicateNode ParseNode(Value value, string path, int depth)
    {
        if (depth > QuerySpec.MaxDepth) throw Fail(path, $"nesting deeper than {QuerySpec.MaxDepth} levels");
        if (++_nodes > QuerySpec.MaxNodes) throw Fail("predicate", $"more than {QuerySpec.MaxNodes} nodes");
        if (value is not MapValue node) throw Fail(path, "must be a map");

        if (!node.TryGet("op", out var opValue)) throw Fail(path + ".op", "required");
        if (!opValue.TryGetString(out var opName)) throw Fail(path + ".op", "must be a string");
        var op = ParseOp(opName) ?? throw Fail(path + ".op", $"unknown operator '{opName}'");

        if (op is PredicateOp.And or PredicateOp.Or or PredicateOp.Not)
            return new PredicateNode(op, null, null, ParseChildren(node, op, path, depth));

        if (!node.TryGet("attribute", out var attributeValue) || !attributeValue.TryGetString(out var attribute) || attribute.Length == 0)
            throw Fail(path + ".attribute", $"a non-empty string is required for '{opName}'");

        // An absent value is JS undefined: `eq` with no value matches records lacking the attribute.
        Value? operand = node.TryGet("value", out var v) ? v : null;
        var valuePath = path + ".value";
        Regex? regex = null;
        switch (op)
        {
            case PredicateOp.Like when operand is not StringValue:
                throw Fail(valuePath, "'like' needs a string pattern");
            case PredicateOp.Regex:
                regex = CompileRegex(operand, valuePath);
                break;
            case PredicateOp.ContainsAll or PredicateOp.ContainsAny when operand is not ArrayValue:
                throw Fail(valuePath, $"'{opName}' needs an array");
        }
        return new PredicateNode(op, attribute, operand, NoChildren, regex);
    }

    private List<PredicateNode> ParseChildren(MapValue node, PredicateOp op, string path, int depth)
    {
        // TS treats missing children as an empty list: and() is true, or() false, not() true.
        if (!node.TryGet("children", out var childrenValue) || childrenValue.IsNull) return [];
        if (childrenValue is not ArrayValue children) throw Fail(path + ".children", "must be an array");
        if (op == PredicateOp.Not && children.Count > 1) throw Fail(path + ".children", "'not' takes a single child");
        var parsed = new List<PredicateNode>(children.Count);
        for (var i = 0; i < children.Count; i++)
            parsed.Add(ParseNode(children.Items[i], $"{path}.children[{i}]", depth + 1));
        return parsed;
    }

    private static Regex CompileRegex(Value? operand, string path)
    {
        if (operand is not StringValue pattern) throw Fail(path, "'regex' needs a string pattern");
        if (pattern.Item.Length > QuerySpec.MaxRegexLength)
            throw Fail(path, $"pattern longer than {QuerySpec.MaxRegexLength} characters");
        try
        {
            // Linear-time matching: a client cannot buy exponential backtracking (`^(a+)+$`) with a
            // short pattern. Constructs only a backtracking engine can run are refused, not
            // silently run under a timeout, so every accepted pattern costs O(pattern × input).
            return new Regex(pattern.Item, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, QuerySpec.RegexMatchTimeout);
        }
        catch (NotSupportedException)
        {
            throw Fail(path, "regex uses a construct that needs backtracking (backreference, lookaround, atomic group, conditional or \\G); rewrite it without one");
        }
        catch (ArgumentException e)
        {
            throw Fail(path, $"invalid regex: {e.Message}");
        }
    }

    private PredicateNode ParseWhere(Value where)
    {
        if (where is not MapValue map) throw Fail("where", "must be a map");
        var leaves = new List<PredicateNode>(map.Count);
        foreach (var (field, expected) in map.Entries)
        {
            if (expected is MapValue operators)
            {
                foreach (var (name, operand) in operators.Entries)
                {
                    var op = name switch
                    {
                        "$eq" => PredicateOp.Eq,
                        "$ne" or "$neq" => PredicateOp.Neq,
                        "$gt" => PredicateOp.Gt,
                        "$gte" => PredicateOp.Gte,
                        "$lt" => PredicateOp.Lt,
                        "$lte" => PredicateOp.Lte,
                        _ => throw Fail($"where.{field}", $"unknown operator '{name}'"),
                    };
                    leaves.Add(Leaf(op, field, operand));
                }
            }
            else
            {
                leaves.Add(Leaf(PredicateOp.Eq, field, expected));
            }
        }
        return leaves.Count == 1 ? leaves[0] : new PredicateNode(PredicateOp.And, null, null, leaves);
    }

    private PredicateNode Leaf(PredicateOp op, string field, Value operand)
    {
        if (++_nodes > QuerySpec.MaxNodes) throw Fail("where", $"more than {QuerySpec.MaxNodes} conditions");
        return new PredicateNode(op, field, operand, NoChildren);
    }

    private static List<SortField> ParseSort(Value value)
    {
        if (value is not MapValue map) throw Fail("sort", "must be a map of field to 'asc' or 'desc'");
        if (map.Count > QuerySpec.MaxSortFields) throw Fail("sort", $"at most {QuerySpec.MaxSortFields} fields");
        var fields = new List<SortField>(map.Count);
        foreach (var (field, direction) in map.Entries)
        {
            fields.Add(direction is StringValue { Item: "asc" } ? new SortField(field, SortDirection.Asc)
                : direction is StringValue { Item: "desc" } ? new SortField(field, SortDirection.Desc)
                : throw Fail($"sort.{field}", "must be 'asc' or 'desc'"));
        }
        return fields;
    }

    private static int ParseLimit(Value value)
    {
        if (!value.TryGetNumber(out var n) || !double.IsFinite(n) || n != Math.Floor(n) || n < 1)
            throw Fail("limit", "must be a positive integer");
        return n >= QuerySpec.MaxLimit ? QuerySpec.MaxLimit : (int)n;
    }

    private static PredicateOp? ParseOp(string name) => name switch
    {
        "eq" => PredicateOp.Eq,
        "neq" => PredicateOp.Neq,
        "gt" => PredicateOp.Gt,
        "gte" => PredicateOp.Gte,
        "lt" => PredicateOp.Lt,
        "lte" => PredicateOp.Lte,
        "like" => PredicateOp.Like,
        "regex" => PredicateOp.Regex,
        "contains" => PredicateOp.Contains,
        "containsAll" => PredicateOp.ContainsAll,
        "containsAny" => PredicateOp.ContainsAny,
        "and" => PredicateOp.And,
        "or" => PredicateOp.Or,
        "not" => PredicateOp.Not,
        _ => null,
    };

    private static QueryFormatException Fail(string path, string message) => new($"{path}: {message}");

    private sealed class QueryFormatException(string message) : Exception(message);
}
