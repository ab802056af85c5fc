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
    private const int Slots = 512;
    private readonly string?[] _strings = new string?[Slots];

    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxLength || utf8.Length == 0) return utf8.Length == 0 ? "" : Encoding.UTF8.GetString(utf8);
        uint h = 2166136261;
        foreach (var b in utf8)
        {
            if (b >= 0x80) return Encoding.UTF8.GetString(utf8);
            h = (h ^ b) * 16777619;
        }
        ref var slot = ref _strings[(h ^ (h >> 15)) & (Slots - 1)];
        var cached = slot;
        if (cached is not null && cached.Length == utf8.Length && SameAscii(cached, utf8)) return cached;
        var s = Encoding.ASCII.GetString(utf8);
        slot = s;
        return s;
    }

    private static bool SameAscii(string s, ReadOnlySpan<byte> utf8)
    {
        for (var i = 0; i < utf8.Length; i++)
            if (s[i] != utf8[i]) return false;
        return true;
    }
}
