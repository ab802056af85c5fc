using System.Globalization;

namespace TopGun.Core.Merkle;

/// <summary>
/// FNV-1a 32-bit over UTF-16 code units, as the TS peers hash strings (protocol §7).
/// The <c>Append</c> overloads continue a running hash, so a hash over a concatenation
/// (<c>key:millis:counter:nodeId</c>) is computed without building the string.
/// </summary>
public static class Fnv1a
{
    /// <summary>The state of a hash over no input.</summary>
    public const uint Offset = 0x811C9DC5;
    private const uint Prime = 0x01000193;

    public static uint Hash(ReadOnlySpan<char> s) => Append(Offset, s);

    public static uint Hash(string s) => Hash(s.AsSpan());

    public static uint Append(uint hash, ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            hash ^= c;
            hash *= Prime;
        }
        return hash;
    }

    public static uint Append(uint hash, char c) => (hash ^ c) * Prime;

    /// <summary>Continues the hash with an integer printed as JS prints it (plain decimal, '-' for negatives).</summary>
    public static uint Append(uint hash, long value)
    {
        Span<char> digits = stackalloc char[20];
        value.TryFormat(digits, out var written, default, CultureInfo.InvariantCulture);
        return Append(hash, digits[..written]);
    }
}
