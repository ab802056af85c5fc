using MessagePack;
using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Protocol;
using TopGun.Core.Queries;
using TopGun.Core.Values;

namespace TopGun.Server.Maps.Serialization;

/// <summary>
/// MessagePack building blocks of the maps formats. Every composite is an array whose readers skip
/// trailing elements they do not know, so a field appended at the end stays readable by older nodes.
/// Values are embedded as <c>bin</c> holding <see cref="ValueCodec"/> bytes (the wire form of a value).
/// </summary>
internal static class MapFormats
{
    public static void WriteTimestamp(ref MessagePackWriter w, Timestamp ts)
    {
        w.WriteArrayHeader(3);
        w.Write(ts.Millis);
        w.Write(ts.Counter);
        w.Write(ts.NodeId);
    }

    public static Timestamp ReadTimestamp(ref MessagePackReader r)
    {
        var n = r.ReadArrayHeader();
        var ts = new Timestamp(r.ReadInt64(), r.ReadInt32(), ReadString(ref r));
        Skip(ref r, n, 3);
        return ts;
    }

    public static void WriteValue(ref MessagePackWriter w, Value value) => w.Write(ValueCodec.Serialize(value));

    public static Value ReadValue(ref MessagePackReader r)
    {
        var bytes = r.ReadBytes() ?? throw new MessagePackSerializationException("A value is missing.");
        return ValueCodec.Deserialize(System.Buffers.BuffersExtensions.ToArray(bytes));
    }

    public static void WriteLwwRecord(ref MessagePackWriter w, LwwRecord record)
    {
        w.WriteArrayHeader(3);
        WriteValue(ref w, record.Value);
        WriteTimestamp(ref w, record.Timestamp);
        WriteNullableInt64(ref w, record.TtlMs);
    }

    public static LwwRecord ReadLwwRecord(ref MessagePackReader r)
    {
        var n = r.ReadArrayHeader();
        var record = new LwwRecord(ReadValue(ref r), ReadTimestamp(ref r), ReadNullableInt64(ref r));
        Skip(ref r, n, 3);
        return record;
    }

    public static void WriteOrRecord(ref MessagePackWriter w, OrMapRecord record)
    {
        w.WriteArrayHeader(4);
        WriteValue(ref w, record.Value);
        WriteTimestamp(ref w, record.Timestamp);
        w.Write(record.Tag);
        WriteNullableInt64(ref w, record.TtlMs);
    }

    public static OrMapRecord ReadOrRecord(ref MessagePackReader r)
    {
        var n = r.ReadArrayHeader();
        var record = new OrMapRecord(ReadValue(ref r), ReadTimestamp(ref r), ReadString(ref r), ReadNullableInt64(ref r));
        Skip(ref r, n, 4);
        return record;
    }

    public static void WriteOrEntry(ref MessagePackWriter w, OrEntry entry)
    {
        w.WriteArrayHeader(3);
        w.Write(entry.Key);
        WriteList(ref w, entry.Records, WriteOrRecord);
        WriteList(ref w, entry.Tombstones, static (ref MessagePackWriter x, string s) => x.Write(s));
    }

    public static OrEntry ReadOrEntry(ref MessagePackReader r)
    {
        var n = r.ReadArrayHeader();
        var entry = new OrEntry(ReadString(ref r), ReadList(ref r, ReadOrRecord), ReadList(ref r, ReadString));
        Skip(ref r, n, 3);
        return entry;
    }

    public static void WriteKeyedLww(ref MessagePackWriter w, KeyValuePair<string, LwwRecord> pair)
    {
        w.WriteArrayHeader(2);
        w.Write(pair.Key);
        WriteLwwRecord(ref w, pair.Value);
    }

    public static KeyValuePair<string, LwwRecord> ReadKeyedLww(ref MessagePackReader r)
    {
        var n = r.ReadArrayHeader();
        var pair = new KeyValuePair<string, LwwRecord>(ReadString(ref r), ReadLwwRecord(ref r));
        Skip(ref r, n, 2);
        return pair;
    }

    public static void WriteMapChange(ref MessagePackWriter w, MapChange change)
    {
        w.WriteArrayHeader(4);
        w.Write(change.Key);
        if (change.Record is { } lww) WriteLwwRecord(ref w, lww); else w.WriteNil();
        if (change.OrAdded is { } or) WriteOrRecord(ref w, or); else w.WriteNil();
        WriteNullableString(ref w, change.OrRemovedTag);
    }

    public static MapChange ReadMapChange(ref MessagePackReader r)
    {
        var n = r.ReadArrayHeader();
        var key = ReadString(ref r);
        var lww = r.TryReadNil() ? null : ReadLwwRecord(ref r);
        var or = r.TryReadNil() ? null : ReadOrRecord(ref r);
        var tag = ReadNullableString(ref r);
        Skip(ref r, n, 4);
        return new MapChange(key, lww, or, tag);
    }

    public static void WriteOutcome(ref MessagePackWriter w, OpOutcome outcome)
    {
        w.WriteArrayHeader(3);
        WriteNullableString(ref w, outcome.OpId);
        w.Write(outcome.Success);
        WriteNullableString(ref w, outcome.Error);
    }

    public static OpOutcome ReadOutcome(ref MessagePackReader r)
    {
        var n = r.ReadArrayHeader();
        var outcome = new OpOutcome(ReadNullableString(ref r), r.ReadBoolean(), ReadNullableString(ref r));
        Skip(ref r, n, 3);
        return outcome;
    }

    public static void WriteCandidate(ref MessagePackWriter w, QueryCandidate candidate)
    {
        w.WriteArrayHeader(3);
        w.Write(candidate.Key);
        WriteValue(ref w, candidate.Value);
        if (candidate.Timestamp is { } ts) WriteTimestamp(ref w, ts); else w.WriteNil();
    }

    public static QueryCandidate ReadCandidate(ref MessagePackReader r)
    {
        var n = r.ReadArrayHeader();
        var candidate = new QueryCandidate(ReadString(ref r), ReadValue(ref r), r.TryReadNil() ? null : ReadTimestamp(ref r));
        Skip(ref r, n, 3);
        return candidate;
    }

    public static void WriteList<T>(ref MessagePackWriter w, IReadOnlyList<T> items, Writer<T> write)
    {
        w.WriteArrayHeader(items.Count);
        for (var i = 0; i < items.Count; i++) write(ref w, items[i]);
    }

    public static T[] ReadList<T>(ref MessagePackReader r, Reader<T> read)
    {
        var count = r.ReadArrayHeader();
        var items = new T[count];
        for (var i = 0; i < count; i++) items[i] = read(ref r);
        return items;
    }

    public static string ReadString(ref MessagePackReader r) =>
        r.ReadString() ?? throw new MessagePackSerializationException("A required string is nil.");

    /// <summary>
    /// A map kind as stored since the first release (LWW 0, OR 1): an explicit table, not the enum's number,
    /// so journal rows and cross-node messages keep their bytes whatever <see cref="MapKind"/> numbers say.
    /// </summary>
    public static void WriteKind(ref MessagePackWriter w, MapKind kind) => w.Write(kind switch
    {
        MapKind.Lww => 0,
        MapKind.Or => 1,
        _ => throw new MessagePackSerializationException($"Unknown map kind {kind}."),
    });

    public static MapKind ReadKind(ref MessagePackReader r) => r.ReadInt32() switch
    {
        0 => MapKind.Lww,
        1 => MapKind.Or,
        var raw => throw new MessagePackSerializationException($"Unknown map kind {raw}."),
    };

    public static void WriteNullableString(ref MessagePackWriter w, string? s)
    {
        if (s is null) w.WriteNil(); else w.Write(s);
    }

    public static string? ReadNullableString(ref MessagePackReader r) => r.TryReadNil() ? null : r.ReadString();

    public static void WriteNullableInt64(ref MessagePackWriter w, long? value)
    {
        if (value is { } v) w.Write(v); else w.WriteNil();
    }

    public static long? ReadNullableInt64(ref MessagePackReader r) => r.TryReadNil() ? null : r.ReadInt64();

    /// <summary>Skips the elements a newer writer appended beyond the <paramref name="known"/> ones.</summary>
    public static void Skip(ref MessagePackReader r, int count, int known)
    {
        for (var i = known; i < count; i++) r.Skip();
    }

    public delegate void Writer<in T>(ref MessagePackWriter writer, T item);

    public delegate T Reader<out T>(ref MessagePackReader reader);
}
