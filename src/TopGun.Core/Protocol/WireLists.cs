namespace TopGun.Core.Protocol;

/// <summary>Reads one element of a typed array.</summary>
internal delegate T WireItemReader<out T>(ref WireReader reader);

internal static class WireLists
{
    /// <summary>Reads an array field element by element, entering <c>leaf[i]</c> for error paths.</summary>
    public static WireList<T> Read<T>(ref WireReader r, string leaf, WireItemReader<T> read)
    {
        r.Enter(leaf);
        var n = r.ArrayHeader();
        var items = n == 0 ? [] : new T[n];
        for (var i = 0; i < n; i++)
        {
            r.Enter(i);
            items[i] = read(ref r);
            r.Leave();
        }
        r.Leave();
        return new WireList<T>(items);
    }
}
