using System.Text;
using TopGun.Core.Values;

namespace TopGun.Core.Queries;

/// <summary>
/// A rendering of values and parsed queries that depends only on their meaning: map keys sorted,
/// numbers in JS form, undefined distinct from null, bytes distinct from arrays. Cursor binding
/// hashes it, and structured sort values order by it.
/// </summary>
internal static class CanonicalText
{
    public static string Of(Value value)
    {
        var sb = new StringBuilder();
        Append(sb, value);
        return sb.ToString();
    }

    public static string Of(PredicateNode? filter, IReadOnlyList<SortField> sort)
    {
        var sb = new StringBuilder("filter:");
        if (filter is null) sb.Append("all");
        else Append(sb, filter);
        sb.Append(";sort:[");
        for (var i = 0; i < sort.Count; i++)
        {
            if (i > 0) sb.Append(',');
            JsonText.AppendString(sb, sort[i].Field);
            sb.Append(sort[i].Direction == SortDirection.Desc ? ":desc" : ":asc");
        }
        return sb.Append(']').ToString();
    }

    private static void Append(StringBuilder sb, PredicateNode node)
    {
        sb.Append(node.Op.ToString()).Append('(');
        if (node.IsLogical)
        {
            for (var i = 0; i < node.Children.Count; i++)
            {
                if (i > 0) sb.Append(',');
                Append(sb, node.Children[i]);
            }
        }
        else
        {
            JsonText.AppendString(sb, node.Attribute!);
            sb.Append(',');
            if (node.Operand is null) sb.Append("undefined");
            else Append(sb, node.Operand);
        }
        sb.Append(')');
    }

    private static void Append(StringBuilder sb, Value value)
    {
        switch (value)
        {
            case NumberValue n:
                // JsonText would print non-finite numbers as null; they must stay distinct here.
                sb.Append(JsNumber.ToString(n.Item));
                break;
            case BytesValue b:
                sb.Append("bytes:").Append(Convert.ToBase64String(b.Span));
                break;
            case ArrayValue a:
                sb.Append('[');
                for (var i = 0; i < a.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    Append(sb, a.Items[i]);
                }
                sb.Append(']');
                break;
            case MapValue m:
                sb.Append('{');
                var first = true;
                foreach (var e in m.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
                {
                    if (!first) sb.Append(',');
                    first = false;
                    JsonText.AppendString(sb, e.Key);
                    sb.Append(':');
                    Append(sb, e.Value);
                }
                sb.Append('}');
                break;
            default:
                JsonText.Append(sb, value);
                break;
        }
    }
}
