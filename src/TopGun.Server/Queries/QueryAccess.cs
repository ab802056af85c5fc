using TopGun.Core.Queries;
using TopGun.Server.Security;

namespace TopGun.Server.Queries;

/// <summary>Field-level security for a query's own text, checked before the query runs.</summary>
internal static class QueryAccess
{
    /// <summary>
    /// Filter and sort attributes the client may not read; empty when every field is visible. Filtering or
    /// sorting on a hidden field would reveal it one comparison at a time.
    /// </summary>
    public static List<string> HiddenFieldsOf(QuerySpec spec, FieldFilter fields)
    {
        var hidden = new List<string>();
        if (fields.IsAll) return hidden;
        var pending = new Stack<PredicateNode>();
        if (spec.Filter is not null) pending.Push(spec.Filter);
        while (pending.TryPop(out var node))
        {
            if (node.Attribute is { } attribute && !fields.Allows(attribute) && !hidden.Contains(attribute)) hidden.Add(attribute);
            foreach (var child in node.Children) pending.Push(child);
        }
        foreach (var sort in spec.Sort)
        {
            if (!fields.Allows(sort.Field) && !hidden.Contains(sort.Field)) hidden.Add(sort.Field);
        }
        return hidden;
    }
}
