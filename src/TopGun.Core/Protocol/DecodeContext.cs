using System.Globalization;
using System.Text;

namespace TopGun.Core.Protocol;

/// <summary>Per-decode state: limits and the path of the field being read, for error messages.</summary>
internal sealed class DecodeContext
{
    [ThreadStatic] private static DecodeContext? t_cached;

    private string?[] _names = new string?[16];
    private int[] _indexes = new int[16];
    private int _depth;

    public DecodeLimits Limits { get; private set; } = DecodeLimits.Default;
    public Utf8StringCache Strings { get; } = new();
    public string? MessageType { get; set; }
    public int BatchNesting { get; set; }

    /// <summary>A reset context for this thread; decoding is synchronous, so one per thread suffices (a nested BATCH asks for a fresh one).</summary>
    public static DecodeContext Rent(DecodeLimits limits)
    {
        var ctx = t_cached ?? new DecodeContext();
        t_cached = null;
        ctx.Limits = limits;
        ctx._depth = 0;
        ctx.MessageType = null;
        ctx.BatchNesting = 0;
        return ctx;
    }

    public static void Return(DecodeContext ctx)
    {
        Array.Clear(ctx._names, 0, ctx._names.Length);
        t_cached = ctx;
    }

    public void Push(string name)
    {
        Grow();
        _names[_depth] = name;
        _indexes[_depth++] = -1;
    }

    public void Push(int index)
    {
        Grow();
        _names[_depth] = null;
        _indexes[_depth++] = index;
    }

    public void Pop() => _depth--;

    public string Path(string? leaf)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < _depth; i++) Append(sb, _names[i], _indexes[i]);
        if (leaf is not null) Append(sb, leaf, -1);
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, string? name, int index)
    {
        if (name is null)
        {
            sb.Append('[').Append(index.ToString(CultureInfo.InvariantCulture)).Append(']');
            return;
        }
        if (sb.Length > 0) sb.Append('.');
        sb.Append(name);
    }

    private void Grow()
    {
        if (_depth < _names.Length) return;
        Array.Resize(ref _names, _names.Length * 2);
        Array.Resize(ref _indexes, _indexes.Length * 2);
    }
}
