using System.Runtime.CompilerServices;
using MessagePack;
using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Values;

namespace TopGun.Core.Protocol;

/// <summary>Writes of the protocol's shared shapes in the exact form the TS peers produce.</summary>
internal static class WireWriter
{
    /// <summary>Opens a message map: map16 header, then <c>type</c>.</summary>
    public static void Begin(ref MessagePackWriter w, int fieldCount, ReadOnlySpan<byte> type)
    {
        ValueCodec.WriteMapHeader(ref w, fieldCount);
        Key(ref w, "type"u8);
        Key(ref w, type);
    }

    public static void Map(ref MessagePackWriter w, int count) => ValueCodec.WriteMapHeader(ref w, count);

    /// <summary>
    /// A field name. Protocol field names are short ASCII literals, so they go straight into the buffer
    /// as a fixstr; that is the bytes <see cref="MessagePackWriter.WriteString(ReadOnlySpan{byte})"/> writes,
    /// without its general header logic.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Key(ref MessagePackWriter w, ReadOnlySpan<byte> key)
    {
        if (key.Length > 31)
        {
            Key(ref w, key);
            return;
        }
        var span = w.GetSpan(key.Length + 1);
        span[0] = (byte)(MessagePackCode.MinFixStr | key.Length);
        key.CopyTo(span[1..]);
        w.Advance(key.Length + 1);
    }

    public static void Str(ref MessagePackWriter w, ReadOnlySpan<byte> key, string value)
    {
        Key(ref w, key);
        ValueCodec.WriteString(ref w, value);
    }

    public static void Num(ref MessagePackWriter w, ReadOnlySpan<byte> key, double value)
    {
        Key(ref w, key);
        ValueCodec.WriteNumber(ref w, value);
    }

    public static void Float(ref MessagePackWriter w, ReadOnlySpan<byte> key, double value)
    {
        Key(ref w, key);
        w.Write(value);
    }

    public static void Bool(ref MessagePackWriter w, ReadOnlySpan<byte> key, bool value)
    {
        Key(ref w, key);
        w.Write(value);
    }

    public static void Any(ref MessagePackWriter w, ReadOnlySpan<byte> key, Value value)
    {
        Key(ref w, key);
        ValueCodec.Write(ref w, value);
    }

    public static void Concern(ref MessagePackWriter w, ReadOnlySpan<byte> key, WriteConcern value)
    {
        Key(ref w, key);
        w.WriteString(WriteConcernNames.ToUtf8(value));
    }

    public static void Timestamp(ref MessagePackWriter w, ReadOnlySpan<byte> key, Timestamp ts)
    {
        Key(ref w, key);
        Timestamp(ref w, ts);
    }

    public static void Timestamp(ref MessagePackWriter w, Timestamp ts)
    {
        ValueCodec.WriteMapHeader(ref w, 3);
        Key(ref w, "millis"u8);
        w.Write((double)ts.Millis);
        Key(ref w, "counter"u8);
        ValueCodec.WriteNumber(ref w, ts.Counter);
        Key(ref w, "nodeId"u8);
        ValueCodec.WriteString(ref w, ts.NodeId);
    }

    public static void Lww(ref MessagePackWriter w, ReadOnlySpan<byte> key, LwwRecord? record)
    {
        Key(ref w, key);
        if (record is null) w.WriteNil();
        else Lww(ref w, record);
    }

    public static void Lww(ref MessagePackWriter w, LwwRecord record)
    {
        ValueCodec.WriteMapHeader(ref w, record.TtlMs is null ? 2 : 3);
        Key(ref w, "value"u8);
        ValueCodec.Write(ref w, record.Value);
        Key(ref w, "timestamp"u8);
        Timestamp(ref w, record.Timestamp);
        if (record.TtlMs is { } ttl) Num(ref w, "ttlMs"u8, ttl);
    }

    public static void OrRecord(ref MessagePackWriter w, ReadOnlySpan<byte> key, OrMapRecord record)
    {
        Key(ref w, key);
        OrRecord(ref w, record);
    }

    public static void OrRecord(ref MessagePackWriter w, OrMapRecord record)
    {
        ValueCodec.WriteMapHeader(ref w, record.TtlMs is null ? 3 : 4);
        Key(ref w, "value"u8);
        ValueCodec.Write(ref w, record.Value);
        Key(ref w, "timestamp"u8);
        Timestamp(ref w, record.Timestamp);
        Str(ref w, "tag"u8, record.Tag);
        if (record.TtlMs is { } ttl) Num(ref w, "ttlMs"u8, ttl);
    }

    public static void StringList(ref MessagePackWriter w, ReadOnlySpan<byte> key, WireList<string> items)
    {
        Key(ref w, key);
        w.WriteArrayHeader(items.Count);
        foreach (var s in items) ValueCodec.WriteString(ref w, s);
    }

    public static void NumberMap(ref MessagePackWriter w, ReadOnlySpan<byte> key, WireMap<double> map)
    {
        Key(ref w, key);
        ValueCodec.WriteMapHeader(ref w, map.Count);
        foreach (var e in map) Num(ref w, e.Key, e.Value);
    }

    public static void HashMap(ref MessagePackWriter w, ReadOnlySpan<byte> key, WireMap<uint> map)
    {
        Key(ref w, key);
        ValueCodec.WriteMapHeader(ref w, map.Count);
        foreach (var e in map)
        {
            ValueCodec.WriteString(ref w, e.Key);
            w.Write(e.Value);
        }
    }

    private static void Num(ref MessagePackWriter w, string key, double value)
    {
        ValueCodec.WriteString(ref w, key);
        ValueCodec.WriteNumber(ref w, value);
    }

    public static int Count(bool present) => present ? 1 : 0;
}
