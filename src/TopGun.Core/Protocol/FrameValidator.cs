using System.Buffers.Binary;

namespace TopGun.Core.Protocol;

/// <summary>
/// One pass over a frame's bytes that proves it is exactly one complete MessagePack value within the
/// limits, without allocating. After it succeeds the decoder can never run off the end of the buffer,
/// and no declared length can exceed the bytes present, so a header claiming four billion elements
/// fails here in constant time instead of driving an allocation.
/// </summary>
internal static class FrameValidator
{
    public static FrameShape Check(ReadOnlySpan<byte> data, DecodeLimits limits)
    {
        var maxDepth = limits.MaxDepth;
        var maxLength = (long)limits.MaxCollectionLength;
        Span<long> pending = maxDepth <= 128 ? stackalloc long[maxDepth + 2] : new long[maxDepth + 2];
        var depth = 0;
        pending[0] = 1;
        long pos = 0;
        long len = data.Length;
        while (true)
        {
            if (pending[depth] == 0)
            {
                if (depth == 0) break;
                depth--;
                continue;
            }
            pending[depth]--;
            if (pos >= len) return FrameShape.Malformed;
            var code = data[(int)pos++];
            long skip = 0;
            long children = -1;
            switch (code)
            {
                case <= 0x7f: skip = 0; break;
                case <= 0x8f: children = 2L * (code & 0x0f); break;
                case <= 0x9f: children = code & 0x0f; break;
                case <= 0xbf: skip = code & 0x1f; break;
                case 0xc0 or 0xc2 or 0xc3: skip = 0; break;
                case 0xc1: return FrameShape.Malformed;
                case 0xc4: if (!TryLength(data, ref pos, 1, out skip)) return FrameShape.Malformed; break;
                case 0xc5: if (!TryLength(data, ref pos, 2, out skip)) return FrameShape.Malformed; break;
                case 0xc6: if (!TryLength(data, ref pos, 4, out skip)) return FrameShape.Malformed; break;
                case 0xc7: if (!TryLength(data, ref pos, 1, out skip)) return FrameShape.Malformed; skip += 1; break;
                case 0xc8: if (!TryLength(data, ref pos, 2, out skip)) return FrameShape.Malformed; skip += 1; break;
                case 0xc9: if (!TryLength(data, ref pos, 4, out skip)) return FrameShape.Malformed; skip += 1; break;
                case 0xca: skip = 4; break;
                case 0xcb: skip = 8; break;
                case 0xcc or 0xd0: skip = 1; break;
                case 0xcd or 0xd1: skip = 2; break;
                case 0xce or 0xd2: skip = 4; break;
                case 0xcf or 0xd3: skip = 8; break;
                case 0xd4: skip = 2; break;
                case 0xd5: skip = 3; break;
                case 0xd6: skip = 5; break;
                case 0xd7: skip = 9; break;
                case 0xd8: skip = 17; break;
                case 0xd9: if (!TryLength(data, ref pos, 1, out skip)) return FrameShape.Malformed; break;
                case 0xda: if (!TryLength(data, ref pos, 2, out skip)) return FrameShape.Malformed; break;
                case 0xdb: if (!TryLength(data, ref pos, 4, out skip)) return FrameShape.Malformed; break;
                case 0xdc: if (!TryLength(data, ref pos, 2, out children)) return FrameShape.Malformed; break;
                case 0xdd: if (!TryLength(data, ref pos, 4, out children)) return FrameShape.Malformed; break;
                case 0xde: if (!TryLength(data, ref pos, 2, out children)) return FrameShape.Malformed; children *= 2; break;
                case 0xdf: if (!TryLength(data, ref pos, 4, out children)) return FrameShape.Malformed; children *= 2; break;
                default: skip = 0; break; // negative fixint
            }
            if (children < 0)
            {
                if (skip > len - pos) return FrameShape.Malformed;
                pos += skip;
                continue;
            }
            if (children == 0) continue;
            // Every element takes at least one byte, so a count beyond the remaining bytes is a lie.
            if (children > len - pos) return FrameShape.Malformed;
            if (children > 2 * maxLength) return FrameShape.TooLong;
            if (depth + 1 > maxDepth) return FrameShape.TooDeep;
            pending[++depth] = children;
        }
        return pos == len ? FrameShape.WellFormed : FrameShape.Malformed;
    }

    private static bool TryLength(ReadOnlySpan<byte> data, ref long pos, int width, out long value)
    {
        value = 0;
        if (pos + width > data.Length) return false;
        var s = data.Slice((int)pos, width);
        value = width switch
        {
            1 => s[0],
            2 => BinaryPrimitives.ReadUInt16BigEndian(s),
            _ => BinaryPrimitives.ReadUInt32BigEndian(s),
        };
        pos += width;
        return true;
    }
}
