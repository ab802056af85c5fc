using System.Globalization;
using System.Text;

namespace TopGun.Core.Values;

/// <summary>
/// JSON text of a <see cref="Value"/> with <c>JSON.stringify</c>'s exact output, optionally with a
/// property allow-list (JSON.stringify's array replacer), which the OR-map Merkle hash depends on.
/// </summary>
public static class JsonText
{
    public static string Stringify(Value value, IReadOnlyList<string>? propertyList = null)
    {
        var sb = new StringBuilder();
        Append(sb, value, propertyList);
        return sb.ToString();
    }

    public static void Append(StringBuilder sb, Value value, IReadOnlyList<string>? propertyList = null)
    {
        switch (value)
        {
            case NullValue:
                sb.Append("null");
                break;
            case BoolValue b:
                sb.Append(b.Item ? "true" : "false");
                break;
            case NumberValue n:
                sb.Append(double.IsFinite(n.Item) ? JsNumber.ToString(n.Item) : "null");
                break;
            case StringValue s:
                AppendString(sb, s.Item);
                break;
            case BytesValue bytes:
                // JSON.stringify(Uint8Array) renders an object keyed by index.
                var asMap = new List<KeyValuePair<string, Value>>(bytes.Span.Length);
                for (var i = 0; i < bytes.Span.Length; i++)
                    asMap.Add(new(i.ToString(CultureInfo.InvariantCulture), Value.Of(bytes.Span[i])));
                Append(sb, Value.Map(asMap), propertyList);
                break;
            case ArrayValue a:
                sb.Append('[');
                for (var i = 0; i < a.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    Append(sb, a.Items[i], propertyList);
                }
                sb.Append(']');
                break;
            case MapValue m:
                sb.Append('{');
                var first = true;
                if (propertyList is null)
                {
                    foreach (var e in m.Entries) AppendMember(sb, e.Key, e.Value, propertyList, ref first);
                }
                else
                {
                    foreach (var key in propertyList)
                        if (m.TryGet(key, out var v)) AppendMember(sb, key, v, propertyList, ref first);
                }
                sb.Append('}');
                break;
        }
    }

    private static void AppendMember(StringBuilder sb, string key, Value v, IReadOnlyList<string>? propertyList, ref bool first)
    {
        if (!first) sb.Append(',');
        first = false;
        AppendString(sb, key);
        sb.Append(':');
        Append(sb, v, propertyList);
    }

    public static void AppendString(StringBuilder sb, string s)
    {
        sb.Append('"');
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20 || (char.IsSurrogate(c) && !IsPairedSurrogate(s, i)))
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else
                        sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }

    private static bool IsPairedSurrogate(string s, int i) =>
        char.IsHighSurrogate(s[i])
            ? i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])
            : i > 0 && char.IsHighSurrogate(s[i - 1]);
}
