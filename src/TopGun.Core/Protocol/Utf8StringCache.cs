using System.Buffers.Binary;
using System.Text;

namespace TopGun.Core.Protocol;

/// <summary>
/// Reuses string instances for short ASCII strings that repeat across frames (map names, node ids,
/// record field names, event types): a hit costs a hash and a compare instead of an allocation.
/// Direct-mapped and per thread; a miss simply replaces the slot.
/// </summary>
internal sealed class Utf8StringCache
{
    private const int MaxLength = 32;
    private const int SlotBits = 9;
    private const int Slots = 1 << SlotBits;
    private readonly string?[] _strings = new string?[Slots];

    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxLength || utf8.Length == 0) return utf8.Length == 0 ? "" : Encoding.UTF8.GetString(utf8);
        ref var slot = ref _strings[Slot(utf8)];
        var cached = slot;
        // Only ASCII strings are cached and Ascii.Equals fails on any non-ASCII byte, so a hit needs no separate check.
        if (cached is not null && cached.Length == utf8.Length && Ascii.Equals(utf8, cached)) return cached;
        if (!Ascii.IsValid(utf8)) return Encoding.UTF8.GetString(utf8);
        var s = Encoding.ASCII.GetString(utf8);
        slot = s;
        return s;
    }

    /// <summary>
    /// Hashes the length and up to three 8-byte words (head, middle, tail) instead of every byte: a
    /// string that differs only elsewhere merely shares a slot, and the full compare keeps that correct.
    /// </summary>
    private static int Slot(ReadOnlySpan<byte> s)
    {
        ulong h;
        var n = s.Length;
        if (n >= 8)
        {
            h = BinaryPrimitives.ReadUInt64LittleEndian(s) * 0x9E3779B97F4A7C15UL;
            h ^= BinaryPrimitives.ReadUInt64LittleEndian(s[(n - 8)..]) * 0xC2B2AE3D27D4EB4FUL;
            if (n > 16) h ^= BinaryPrimitives.ReadUInt64LittleEndian(s[(n / 2 - 4)..]) * 0x165667B19E3779F9UL;
        }
        else if (n >= 4)
        {
            h = (BinaryPrimitives.ReadUInt32LittleEndian(s) | ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(s[(n - 4)..]) << 32)) * 0x9E3779B97F4A7C15UL;
        }
        else
        {
            h = (s[0] | ((ulong)s[n / 2] << 8) | ((ulong)s[n - 1] << 16)) * 0x9E3779B97F4A7C15UL;
        }
        h += (ulong)n * 0xFF51AFD7ED558CCDUL;
        // The top bits of a product depend on every input bit; the low ones only on the lowest.
        return (int)(h >> (64 - SlotBits));
    }
}
