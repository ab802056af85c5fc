using MessagePack;
using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Protocol;
using TopGun.Core.Queries;
using TopGun.Core.Values;
using TopGun.Server.Serialization;
using static TopGun.Server.Serialization.Fields;

namespace TopGun.Server.Maps.Serialization;

/// <summary>
/// MessagePack building blocks of the maps formats, on the shared kit (<see cref="Body"/>, <see cref="Fields"/>).
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

    public static Timestamp ReadTimestamp(ref MessagePackReader r) =>
        Body.Read(ref r, 3, static (ref MessagePackReader b) => new Timestamp(b.ReadInt64(), b.ReadInt32(), ReadString(ref b)));

    public static void WriteValue(ref MessagePackWriter w, Value value) => w.Write(ValueCodec.Serialize(value));

    public static Value ReadValue(ref MessagePackReader r) => ValueCodec.Deserialize(ReadBin(ref r, "A value"));

    public static void WriteLwwRecord(ref MessagePackWriter w, LwwRecord record)
    {
        w.WriteArrayHeader(3);
        WriteValue(ref w, record.Value);
        WriteTimestamp(ref w, record.Timestamp);
        WriteNullableInt64(ref w, record.TtlMs);
    }

    public static LwwRecord ReadLwwRecord(ref MessagePackReader r) =>
        Body.Read(ref r, 3, static (ref MessagePackReader b) => new LwwRecord(ReadValue(ref b), ReadTimestamp(ref b), ReadNullableInt64(ref b)));

    public static void WriteOrRecord(ref MessagePackWriter w, OrMapRecord record)
    {
        w.WriteArrayHeader(4);
        WriteValue(ref w, record.Value);
        WriteTimestamp(ref w, record.Timestamp);
        w.Write(record.Tag);
        WriteNullableInt64(ref w, record.TtlMs);
    }

    public static OrMapRecord ReadOrRecord(ref MessagePackReader r) =>
        Body.Read(ref r, 4, static (ref MessagePackReader b) => new OrMapRecord(ReadValue(ref b), ReadTimestamp(ref b), ReadString(ref b), ReadNullableInt64(ref b)));

    public static void WriteOrEntry(ref MessagePackWriter w, OrEntry entry)
    {
        w.WriteArrayHeader(3);
        w.Write(entry.Key);
        WriteList(ref w, entry.Records, WriteOrRecord);
        WriteStrings(ref w, entry.Tombstones);
    }

    public static OrEntry ReadOrEntry(ref MessagePackReader r) =>
        Body.Read(ref r, 3, static (ref MessagePackReader b) => new OrEntry(ReadString(ref b), ReadList(ref b, ReadOrRecord), ReadStrings(ref b)));

    public static void WriteKeyedLww(ref MessagePackWriter w, KeyValuePair<string, LwwRecord> pair)
    {
        w.WriteArrayHeader(2);
        w.Write(pair.Key);
        WriteLwwRecord(ref w, pair.Value);
    }

    public static KeyValuePair<string, LwwRecord> ReadKeyedLww(ref MessagePackReader r) =>
        Body.Read(ref r, 2, static (ref MessagePackReader b) => new KeyValuePair<string, LwwRecord>(ReadString(ref b), ReadLwwRecord(ref b)));

    /// <summary>
    /// The fifth element (the key's records after the change) is written only when set, so a change without it
    /// keeps the bytes of the first release and a node of an older build reads both forms, skipping what it
    /// does not know.
    /// </summary>
    public static void WriteMapChange(ref MessagePackWriter w, MapChange change)
    {
        w.WriteArrayHeader(change.OrRecords is null ? 4 : 5);
        w.Write(change.Key);
        if (change.Record is { } lww) WriteLwwRecord(ref w, lww); else w.WriteNil();
        if (change.OrAdded is { } or) WriteOrRecord(ref w, or); else w.WriteNil();
        WriteNullableString(ref w, change.OrRemovedTag);
        if (change.OrRecords is { } records) WriteList(ref w, records, WriteOrRecord);
    }

    public static MapChange ReadMapChange(ref MessagePackReader r)
    {
        var n = r.ReadArrayHeader();
        var key = ReadString(ref r);
        var lww = r.TryReadNil() ? null : ReadLwwRecord(ref r);
        var or = r.TryReadNil() ? null : ReadOrRecord(ref r);
        var tag = ReadNullableString(ref r);
        var records = n > 4 && !r.TryReadNil() ? ReadList(ref r, ReadOrRecord) : null;
        Body.Skip(ref r, n, 5);
        return new MapChange(key, lww, or, tag, records);
    }

    public static void WriteOutcome(ref MessagePackWriter w, OpOutcome outcome)
    {
        w.WriteArrayHeader(3);
        WriteNullableString(ref w, outcome.OpId);
        w.Write(outcome.Success);
        WriteNullableString(ref w, outcome.Error);
    }

    public static OpOutcome ReadOutcome(ref MessagePackReader r) =>
        Body.Read(ref r, 3, static (ref MessagePackReader b) => new OpOutcome(ReadNullableString(ref b), b.ReadBoolean(), ReadNullableString(ref b)));

    public static void WriteCandidate(ref MessagePackWriter w, QueryCandidate candidate)
    {
        w.WriteArrayHeader(3);
        w.Write(candidate.Key);
        WriteValue(ref w, candidate.Value);
        if (candidate.Timestamp is { } ts) WriteTimestamp(ref w, ts); else w.WriteNil();
    }

    public static QueryCandidate ReadCandidate(ref MessagePackReader r) =>
        Body.Read(ref r, 3, static (ref MessagePackReader b) => new QueryCandidate(ReadString(ref b), ReadValue(ref b), b.TryReadNil() ? null : ReadTimestamp(ref b)));

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
}
