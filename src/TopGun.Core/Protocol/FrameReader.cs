using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using MessagePack;

namespace TopGun.Core.Protocol;

/// <summary>
/// A MessagePack token reader over one contiguous buffer that <see cref="FrameValidator"/> has already
/// proven to be a complete value. It reads straight from the span (one bounds-checked byte per token
/// header) instead of going through <see cref="MessagePackReader"/>'s sequence reader, and behaves like
/// it for every member it shares: same accepted codes, same overflow checks, and a token of the wrong
/// kind throws <see cref="MessagePackSerializationException"/> with the same text.
/// </summary>
internal ref struct FrameReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _pos;

    public FrameReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _pos = 0;
    }

    /// <summary>Bytes consumed so far.</summary>
    public readonly int Position => _pos;

    public readonly byte NextCode => _data[_pos];

    public readonly MessagePackType NextMessagePackType => MessagePackCode.ToMessagePackType(_data[_pos]);

    /// <summary>A copy that reads ahead without moving this reader.</summary>
    public readonly FrameReader CreatePeekReader() => this;

    public bool TryReadNil()
    {
        if (_data[_pos] != MessagePackCode.Nil) return false;
        _pos++;
        return true;
    }

    public void ReadNil()
    {
        if (_data[_pos] != MessagePackCode.Nil) throw Unexpected(_data[_pos]);
        _pos++;
    }

    public bool ReadBoolean()
    {
        switch (_data[_pos])
        {
            case MessagePackCode.True:
                _pos++;
                return true;
            case MessagePackCode.False:
                _pos++;
                return false;
            default:
                throw Unexpected(_data[_pos]);
        }
    }

    public int ReadMapHeader()
    {
        var code = _data[_pos];
        if (code is >= MessagePackCode.MinFixMap and <= MessagePackCode.MaxFixMap)
        {
            _pos++;
            return code & 0x0f;
        }
        return code switch
        {
            MessagePackCode.Map16 => ReadLength16(),
            MessagePackCode.Map32 => ReadLength32(),
            _ => throw Unexpected(code),
        };
    }

    public int ReadArrayHeader()
    {
        var code = _data[_pos];
        if (code is >= MessagePackCode.MinFixArray and <= MessagePackCode.MaxFixArray)
        {
            _pos++;
            return code & 0x0f;
        }
        return code switch
        {
            MessagePackCode.Array16 => ReadLength16(),
            MessagePackCode.Array32 => ReadLength32(),
            _ => throw Unexpected(code),
        };
    }

    /// <summary>The UTF-8 bytes of a string token; false (nothing consumed) for nil, as MessagePackReader does.</summary>
    public bool TryReadStringSpan(out ReadOnlySpan<byte> span)
    {
        if (_data[_pos] == MessagePackCode.Nil)
        {
            span = default;
            return false;
        }
        span = ReadStringSpan();
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> ReadStringSpan()
    {
        var code = _data[_pos];
        // Keys, ids and names are short: the fixstr case is the one worth inlining.
        if (code is >= MessagePackCode.MinFixStr and <= MessagePackCode.MaxFixStr)
        {
            var length = code & 0x1f;
            var span = _data.Slice(_pos + 1, length);
            _pos += length + 1;
            return span;
        }
        return ReadLongStringSpan();
    }

    private ReadOnlySpan<byte> ReadLongStringSpan()
    {
        var code = _data[_pos];
        var length = code switch
        {
            MessagePackCode.Str8 => ReadLength8(),
            MessagePackCode.Str16 => ReadLength16(),
            MessagePackCode.Str32 => ReadLength32(),
            _ => throw Unexpected(code),
        };
        var span = _data.Slice(_pos, length);
        _pos += length;
        return span;
    }

    /// <summary>A binary token's bytes, as a range of the buffer (its offset and length).</summary>
    public (int Offset, int Length) ReadBytesRange()
    {
        var code = _data[_pos];
        var length = code switch
        {
            MessagePackCode.Bin8 => ReadLength8(),
            MessagePackCode.Bin16 => ReadLength16(),
            MessagePackCode.Bin32 => ReadLength32(),
            _ => throw Unexpected(code),
        };
        var offset = _pos;
        if (length > _data.Length - offset) throw new EndOfStreamException();
        _pos += length;
        return (offset, length);
    }

    public ReadOnlySpan<byte> ReadBytes()
    {
        var (offset, length) = ReadBytesRange();
        return _data.Slice(offset, length);
    }

    public long ReadInt64()
    {
        var code = _data[_pos];
        if (code <= MessagePackCode.MaxFixInt)
        {
            _pos++;
            return code;
        }
        if (code >= MessagePackCode.MinNegativeFixInt)
        {
            _pos++;
            return (sbyte)code;
        }
        return code switch
        {
            MessagePackCode.UInt8 => Take(2)[1],
            MessagePackCode.UInt16 => BinaryPrimitives.ReadUInt16BigEndian(Take(3)[1..]),
            MessagePackCode.UInt32 => BinaryPrimitives.ReadUInt32BigEndian(Take(5)[1..]),
            MessagePackCode.UInt64 => checked((long)BinaryPrimitives.ReadUInt64BigEndian(Take(9)[1..])),
            MessagePackCode.Int8 => (sbyte)Take(2)[1],
            MessagePackCode.Int16 => BinaryPrimitives.ReadInt16BigEndian(Take(3)[1..]),
            MessagePackCode.Int32 => BinaryPrimitives.ReadInt32BigEndian(Take(5)[1..]),
            MessagePackCode.Int64 => BinaryPrimitives.ReadInt64BigEndian(Take(9)[1..]),
            _ => throw Unexpected(code),
        };
    }

    public ulong ReadUInt64()
    {
        var code = _data[_pos];
        if (code == MessagePackCode.UInt64) return BinaryPrimitives.ReadUInt64BigEndian(Take(9)[1..]);
        return checked((ulong)ReadInt64());
    }

    public float ReadSingle()
    {
        var code = _data[_pos];
        return code switch
        {
            MessagePackCode.Float32 => BinaryPrimitives.ReadSingleBigEndian(Take(5)[1..]),
            MessagePackCode.Float64 => (float)BinaryPrimitives.ReadDoubleBigEndian(Take(9)[1..]),
            MessagePackCode.UInt64 => ReadUInt64(),
            _ => ReadInt64(),
        };
    }

    public double ReadDouble()
    {
        var code = _data[_pos];
        return code switch
        {
            MessagePackCode.Float64 => BinaryPrimitives.ReadDoubleBigEndian(Take(9)[1..]),
            MessagePackCode.Float32 => BinaryPrimitives.ReadSingleBigEndian(Take(5)[1..]),
            MessagePackCode.UInt64 => ReadUInt64(),
            _ => ReadInt64(),
        };
    }

    public ExtensionHeader ReadExtensionFormatHeader()
    {
        var code = _data[_pos];
        uint length;
        switch (code)
        {
            case MessagePackCode.FixExt1: length = 1; _pos++; break;
            case MessagePackCode.FixExt2: length = 2; _pos++; break;
            case MessagePackCode.FixExt4: length = 4; _pos++; break;
            case MessagePackCode.FixExt8: length = 8; _pos++; break;
            case MessagePackCode.FixExt16: length = 16; _pos++; break;
            case MessagePackCode.Ext8: length = (uint)ReadLength8(); break;
            case MessagePackCode.Ext16: length = (uint)ReadLength16(); break;
            case MessagePackCode.Ext32: length = (uint)ReadLength32(); break;
            default: throw Unexpected(code);
        }
        var typeCode = unchecked((sbyte)_data[_pos++]);
        return new ExtensionHeader(typeCode, length);
    }

    /// <summary>Consumes <paramref name="length"/> raw bytes.</summary>
    public void ReadRaw(int length)
    {
        if ((uint)length > (uint)(_data.Length - _pos)) throw new EndOfStreamException();
        _pos += length;
    }

    /// <summary>Skips one complete value, nested collections included.</summary>
    public void Skip()
    {
        long pending = 1;
        while (pending > 0)
        {
            pending--;
            var code = _data[_pos++];
            switch (code)
            {
                case <= MessagePackCode.MaxFixInt: break;
                case <= MessagePackCode.MaxFixMap: pending += 2L * (code & 0x0f); break;
                case <= MessagePackCode.MaxFixArray: pending += code & 0x0f; break;
                case <= MessagePackCode.MaxFixStr: Advance(code & 0x1f); break;
                case MessagePackCode.Nil or MessagePackCode.False or MessagePackCode.True: break;
                case MessagePackCode.Bin8 or MessagePackCode.Str8: Advance(_data[_pos++]); break;
                case MessagePackCode.Bin16 or MessagePackCode.Str16: Advance(2 + BinaryPrimitives.ReadUInt16BigEndian(_data[_pos..])); break;
                case MessagePackCode.Bin32 or MessagePackCode.Str32: Advance(4L + BinaryPrimitives.ReadUInt32BigEndian(_data[_pos..])); break;
                case MessagePackCode.Ext8: Advance(2 + _data[_pos]); break;
                case MessagePackCode.Ext16: Advance(3 + BinaryPrimitives.ReadUInt16BigEndian(_data[_pos..])); break;
                case MessagePackCode.Ext32: Advance(5L + BinaryPrimitives.ReadUInt32BigEndian(_data[_pos..])); break;
                case MessagePackCode.Float32: Advance(4); break;
                case MessagePackCode.Float64: Advance(8); break;
                case MessagePackCode.UInt8 or MessagePackCode.Int8: Advance(1); break;
                case MessagePackCode.UInt16 or MessagePackCode.Int16: Advance(2); break;
                case MessagePackCode.UInt32 or MessagePackCode.Int32: Advance(4); break;
                case MessagePackCode.UInt64 or MessagePackCode.Int64: Advance(8); break;
                case MessagePackCode.FixExt1: Advance(2); break;
                case MessagePackCode.FixExt2: Advance(3); break;
                case MessagePackCode.FixExt4: Advance(5); break;
                case MessagePackCode.FixExt8: Advance(9); break;
                case MessagePackCode.FixExt16: Advance(17); break;
                case MessagePackCode.Array16: pending += ReadUInt16At(); break;
                case MessagePackCode.Array32: pending += ReadUInt32At(); break;
                case MessagePackCode.Map16: pending += 2L * ReadUInt16At(); break;
                case MessagePackCode.Map32: pending += 2L * ReadUInt32At(); break;
                case MessagePackCode.NeverUsed: throw Unexpected(code);
                default: break; // negative fixint
            }
        }
    }

    private void Advance(long count)
    {
        if (count > _data.Length - _pos) throw new EndOfStreamException();
        _pos += (int)count;
    }

    private uint ReadUInt16At()
    {
        var n = BinaryPrimitives.ReadUInt16BigEndian(_data[_pos..]);
        _pos += 2;
        return n;
    }

    private uint ReadUInt32At()
    {
        var n = BinaryPrimitives.ReadUInt32BigEndian(_data[_pos..]);
        _pos += 4;
        return n;
    }

    /// <summary>The token's header byte and its fixed-size body, consumed together.</summary>
    private ReadOnlySpan<byte> Take(int length)
    {
        var span = _data.Slice(_pos, length);
        _pos += length;
        return span;
    }

    private int ReadLength8()
    {
        var n = _data[_pos + 1];
        _pos += 2;
        return n;
    }

    private int ReadLength16()
    {
        var n = BinaryPrimitives.ReadUInt16BigEndian(_data.Slice(_pos + 1, 2));
        _pos += 3;
        return n;
    }

    private int ReadLength32()
    {
        var n = BinaryPrimitives.ReadUInt32BigEndian(_data.Slice(_pos + 1, 4));
        _pos += 5;
        return checked((int)n);
    }

    private static MessagePackSerializationException Unexpected(byte code) =>
        new($"Unexpected msgpack code {code} ({MessagePackCode.ToFormatName(code)}) encountered.");
}
