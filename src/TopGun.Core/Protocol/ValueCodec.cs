using System.Buffers;
using System.Globalization;
using System.Text;
using MessagePack;
using TopGun.Core.Values;

namespace TopGun.Core.Protocol;

/// <summary>
/// MessagePack form of a <see cref="Value"/>, byte for byte what msgpackr's default <c>pack</c> produces
/// for the equivalent JS value, and a reader that accepts any standard MessagePack encoding.
/// </summary>
public static class ValueCodec
{
    public static void Write(ref MessagePackWriter writer, Value value)
    {
        switch (value)
        {
            case NullValue:
                writer.WriteNil();
                break;
            case BoolValue b:
                writer.Write(b.Item);
                break;
            case NumberValue n:
                WriteNumber(ref writer, n.Item);
                break;
            case StringValue s:
                WriteString(ref writer, s.Item);
                break;
            case BytesValue bytes:
                writer.Write(bytes.Span);
                break;
            case ArrayValue a:
                writer.WriteArrayHeader(a.Count);
                foreach (var item in a.ItemSpan) Write(ref writer, item);
                break;
            case MapValue m:
                WriteMapHeader(ref writer, m.Count);
                foreach (var e in m.EntrySpan)
                {
                    WriteString(ref writer, e.Key);
                    Write(ref writer, e.Value);
                }
                break;
            default:
                throw new ArgumentException("Unknown value kind " + value.GetType().Name, nameof(value));
        }
    }

    /// <summary>
    /// A JS number as msgpackr writes it: integers in uint32 range as positive fixint/uint8/16/32,
    /// integers in int32 range as negative fixint/int8/16/32, everything else float64 (never a 64-bit
    /// integer, which JS peers would decode as BigInt). -0 becomes 0, as in msgpackr.
    /// </summary>
    public static void WriteNumber(ref MessagePackWriter writer, double d)
    {
        if (d >= 0 && d <= uint.MaxValue)
        {
            var u = (uint)d;
            if (u == d) { writer.Write(u); return; }
        }
        else if (d < 0 && d >= int.MinValue)
        {
            var i = (int)d;
            if (i == d) { writer.Write(i); return; }
        }
        writer.Write(d);
    }

    /// <summary>
    /// Exactly what <see cref="MessagePackWriter.Write(string)"/> produces, with a direct path for short
    /// ASCII strings (field names, ids, map names): no UTF-8 length pass, no transcoder call.
    /// </summary>
    internal static void WriteString(ref MessagePackWriter writer, string? s)
    {
        if (s is not null && s.Length <= MaxFixStrLength)
        {
            var span = writer.GetSpan(s.Length + 1);
            if (Ascii.FromUtf16(s, span[1..], out var written) == OperationStatus.Done)
            {
                span[0] = (byte)(MessagePackCode.MinFixStr | written);
                writer.Advance(written + 1);
                return;
            }
        }
        writer.Write(s);
    }

    private const int MaxFixStrLength = 31;

    /// <summary>A number that may exceed 2^31 (HLC millis, server time), always as float64 like a JS peer would see it.</summary>
    public static void WriteFloat64(ref MessagePackWriter writer, double d) => writer.Write(d);

    /// <summary>msgpackr always writes plain objects with a map16 header.</summary>
    public static void WriteMapHeader(ref MessagePackWriter writer, int count)
    {
        if (count > ushort.MaxValue)
        {
            writer.WriteMapHeader(count);
            return;
        }
        var span = writer.GetSpan(3);
        span[0] = MessagePackCode.Map16;
        span[1] = (byte)(count >> 8);
        span[2] = (byte)count;
        writer.Advance(3);
    }

    public static byte[] Serialize(Value value)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        var writer = new MessagePackWriter(buffer);
        Write(ref writer, value);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads one value; JS <c>undefined</c> reads as null. Throws <see cref="FormatException"/> on anything else that is not a JSON-like value.</summary>
    public static Value Deserialize(ReadOnlyMemory<byte> bytes, DecodeLimits? limits = null)
    {
        limits ??= DecodeLimits.Default;
        var shape = FrameValidator.Check(bytes.Span, limits);
        if (shape != FrameShape.WellFormed) throw new FormatException("Not a well-formed MessagePack value within limits: " + shape);
        var ctx = DecodeContext.Rent(limits);
        try
        {
            var reader = new FrameReader(bytes.Span);
            return ReadCore(ref reader, ctx, 0) ?? Value.Null;
        }
        catch (WireFormatException e)
        {
            throw new FormatException(e.Message, e);
        }
        finally
        {
            DecodeContext.Return(ctx);
        }
    }

    /// <summary>Reads one value of a validated frame; null means JS <c>undefined</c>.</summary>
    internal static Value? ReadCore(ref FrameReader reader, DecodeContext ctx, int depth)
    {
        // The common leaves of a record's value first, decided by the header byte alone.
        var first = reader.NextCode;
        if (first is >= MessagePackCode.MinFixStr and <= MessagePackCode.MaxFixStr) return new StringValue(ctx.Strings.Get(reader.ReadStringSpan()));
        if (first <= MessagePackCode.MaxFixInt)
        {
            reader.ReadRaw(1);
            return SmallIntegers[first];
        }
        if (first == MessagePackCode.True || first == MessagePackCode.False)
        {
            reader.ReadRaw(1);
            return first == MessagePackCode.True ? Value.True : Value.False;
        }
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Nil:
                reader.ReadNil();
                return Value.Null;
            case MessagePackType.Boolean:
                return reader.ReadBoolean() ? Value.True : Value.False;
            case MessagePackType.Integer:
            {
                var code = reader.NextCode;
                if (code <= MessagePackCode.MaxFixInt)
                {
                    reader.ReadRaw(1);
                    return SmallIntegers[code];
                }
                return new NumberValue(code == MessagePackCode.UInt64 ? reader.ReadUInt64() : reader.ReadInt64());
            }
            case MessagePackType.Float:
                return new NumberValue(reader.NextCode == MessagePackCode.Float32 ? reader.ReadSingle() : reader.ReadDouble());
            case MessagePackType.String:
                return new StringValue(ReadString(ref reader, ctx));
            case MessagePackType.Binary:
                return new BytesValue(reader.ReadBytes().ToArray());
            case MessagePackType.Array:
            {
                CheckDepth(ctx, depth);
                var n = reader.ReadArrayHeader();
                if (n > ctx.Limits.MaxCollectionLength) throw new WireFormatException(ctx.Path(null), "array has too many elements");
                var items = n == 0 ? [] : new Value[n];
                for (var i = 0; i < n; i++)
                {
                    ctx.Push(i);
                    items[i] = ReadCore(ref reader, ctx, depth + 1) ?? Value.Null;
                    ctx.Pop();
                }
                return new ArrayValue(items);
            }
            case MessagePackType.Map:
            {
                CheckDepth(ctx, depth);
                var n = reader.ReadMapHeader();
                if (n > ctx.Limits.MaxCollectionLength) throw new WireFormatException(ctx.Path(null), "object has too many entries");
                var entries = new KeyValuePair<string, Value>[n];
                var count = 0;
                for (var i = 0; i < n; i++)
                {
                    var key = ReadKey(ref reader, ctx);
                    ctx.Push(key);
                    var v = ReadCore(ref reader, ctx, depth + 1);
                    ctx.Pop();
                    if (v is not null) entries[count++] = new(key, v);
                }
                if (count != n) Array.Resize(ref entries, count);
                return new MapValue(entries);
            }
            case MessagePackType.Extension:
            {
                var header = reader.ReadExtensionFormatHeader();
                if (header.TypeCode == 0 && header.Length == 1)
                {
                    reader.ReadRaw(1);
                    return null;
                }
                var what = header.TypeCode == -1 ? "timestamp extension" : "extension type " + header.TypeCode.ToString(CultureInfo.InvariantCulture);
                throw new WireFormatException(ctx.Path(null), "unsupported " + what);
            }
            default:
                throw new WireFormatException(ctx.Path(null), "unsupported MessagePack value");
        }
    }

    // Values are immutable, so the positive fixints (flags, priorities, small counts) can be shared.
    private static readonly NumberValue[] SmallIntegers = Enumerable.Range(0, MessagePackCode.MaxFixInt + 1).Select(i => new NumberValue(i)).ToArray();

    private static string ReadKey(ref FrameReader reader, DecodeContext ctx)
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.String:
                return ReadString(ref reader, ctx);
            case MessagePackType.Integer:
                // A JS object turns integer keys into strings; msgpackr does the same when it builds one.
                return JsNumber.ToString(reader.NextCode == MessagePackCode.UInt64 ? reader.ReadUInt64() : reader.ReadInt64());
            default:
                throw new WireFormatException(ctx.Path(null), "object key must be a string");
        }
    }

    /// <summary>Reads a string token, reusing cached instances of short repeated strings.</summary>
    internal static string ReadString(ref FrameReader reader, DecodeContext ctx) => ctx.Strings.Get(reader.ReadStringSpan());

    private static void CheckDepth(DecodeContext ctx, int depth)
    {
        if (depth >= ctx.Limits.MaxDepth) throw new WireFormatException(ctx.Path(null), "nested too deeply");
    }
}
