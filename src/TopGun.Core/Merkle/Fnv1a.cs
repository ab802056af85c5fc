namespace TopGun.Core.Merkle;

/// <summary>FNV-1a 32-bit over UTF-16 code units, as the TS peers hash strings (protocol §7).</summary>
public static class Fnv1a
{
    private const uint Offset = 0x811C9DC5;
    private const uint Prime = 0x01000193;

    public static uint Hash(ReadOnlySpan<char> s)
    {
        var h = Offset;
        foreach (var c in s)
        {
            h ^= c;
            h *= Prime;
        }
        return h;
    }

    public static uint Hash(string s) => Hash(s.AsSpan());
}
