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
        w.WriteString("type"u8);
        w.WriteString(type);
    }

    public static void Map(ref MessagePackWriter w, int count) => ValueCodec.WriteMapHeader(ref w, count);

    public static void Key(ref MessagePackWriter w, ReadOnlySpan<byte> key) => w.WriteString(key);

    public static void Str(ref MessagePackWriter w, ReadOnlySpan<byte> key, string value)
    {
        w.WriteString(key);
        ValueCodec.WriteString(ref w, value);
    }

    public static void Num(ref MessagePackWriter w, ReadOnlySpan<byte> key, double value)
    {
        w.WriteString(key);
        ValueCodec.WriteNumber(ref w, value);
    }

    public static void Float(ref MessagePackWriter w, ReadOnlySpan<byte> key, double value)
    {
        w.WriteString(key);
        w.Write(value);
    }

    public static void Bool(ref MessagePackWriter w, ReadOnlySpan<byte> key, bool value)
    {
        w.WriteString(key);
        w.Write(value);
    }

    public static void Any(ref MessagePackWriter w, ReadOnlySpan<byte> key, Value value)
    {
        w.WriteString(key);
        ValueCodec.Write(ref w, value);
    }

    public static void Concern(ref MessagePackWriter w, ReadOnlySpan<byte> key, WriteConcern value)
    {
        w.WriteString(key);
        w.WriteString(WriteConcernNames.ToUtf8(value));
    }

    public static void Timestamp(ref MessagePackWriter w, ReadOnlySpan<byte> key, Timestamp ts)
    {
        w.WriteString(key);
        Timestamp(ref w, ts);
    }

    public static void Timestamp(ref MessagePackWriter w, Timestamp ts)
    {
        ValueCodec.WriteMapHeader(ref w, 3);
        w.WriteString("millis"u8);
        w.Write((double)ts.Millis);
        w.WriteString("counter"u8);
        ValueCodec.WriteNumber(ref w, ts.Counter);
        w.WriteString("nodeId"u8);
        ValueCodec.WriteString(ref w, ts.NodeId);
    }

    public static void Lww(ref MessagePackWriter w, ReadOnlySpan<byte> key, LwwRecord? record)
    {
        w.WriteString(key);
        if (record is null) w.WriteNil();
        else Lww(ref w, record);
    }

    public static void Lww(ref MessagePackWriter w, LwwRecord record)
    {
        ValueCodec.WriteMapHeader(ref w, record.TtlMs is null ? 2 : 3);
        w.WriteString("value"u8);
        ValueCodec.Write(ref w, record.Value);
        w.WriteString("timestamp"u8);
        Timestamp(ref w, record.Timestamp);
        if (record.TtlMs is { } ttl) Num(ref w, "ttlMs"u8, ttl);
    }

    public static void OrRecord(ref MessagePackWriter w, ReadOnlySpan<byte> key, OrMapRecord record)
    {
        w.WriteString(key);
        OrRecord(ref w, record);
    }

    public static void OrRecord(ref MessagePackWriter w, OrMapRecord record)
    {
        ValueCodec.WriteMapHeader(ref w, record.TtlMs is null ? 3 : 4);
        w.WriteString("value"u8);
        ValueCodec.Write(ref w, record.Value);
        w.WriteString("timestamp"u8);
        Timestamp(ref w, record.Timestamp);
        Str(ref w, "tag"u8, record.Tag);
        if (record.TtlMs is { } ttl) Num(ref w, "ttlMs"u8, ttl);
    }

    public static void StringList(ref MessagePackWriter w, ReadOnlySpan<byte> key, WireList<string> items)
    {
        w.WriteString(key);
        w.WriteArrayHeader(items.Count);
        foreach (var s in items) ValueCodec.WriteString(ref w, s);
    }

    public static void NumberMap(ref MessagePackWriter w, ReadOnlySpan<byte> key, WireMap<double> map)
    {
        w.WriteString(key);
        ValueCodec.WriteMapHeader(ref w, map.Count);
        foreach (var e in map) Num(ref w, e.Key, e.Value);
    }

    public static void HashMap(ref MessagePackWriter w, ReadOnlySpan<byte> key, WireMap<uint> map)
    {
        w.WriteString(key);
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
