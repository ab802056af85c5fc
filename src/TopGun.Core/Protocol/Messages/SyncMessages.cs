using MessagePack;
using TopGun.Core.Clock;
using TopGun.Core.Crdt;

namespace TopGun.Core.Protocol;

/// <summary>C→S: start Merkle sync of an LWW map; <see cref="LastSyncTimestamp"/> is the client's last sync (ms).</summary>
public sealed record SyncInitMessage(string MapName, long? LastSyncTimestamp = null) : Message
{
    public override string Type => MessageTypes.SyncInit;

    internal override void Write(ref MessagePackWriter w)
    {
        WireWriter.Begin(ref w, 2 + WireWriter.Count(LastSyncTimestamp is not null), "SYNC_INIT"u8);
        WireWriter.Str(ref w, "mapName"u8, MapName);
        if (LastSyncTimestamp is { } last) WireWriter.Float(ref w, "lastSyncTimestamp"u8, last);
    }

    internal static SyncInitMessage Read(ref WireReader r)
    {
        string? mapName = null;
        long? last = null;
        var n = r.MapHeader();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("mapName"u8)) mapName = r.Str("mapName");
            else if (k.SequenceEqual("lastSyncTimestamp"u8)) last = r.OptNonNegInt("lastSyncTimestamp");
            else r.Skip();
        }
        return new SyncInitMessage(r.Required(mapName, "mapName"), last);
    }
}

/// <summary>S→C: the map's Merkle root and the server's HLC time.</summary>
public sealed record SyncRespRootMessage(string MapName, uint RootHash, Timestamp Timestamp) : Message
{
    public override string Type => MessageTypes.SyncRespRoot;

    internal override void Write(ref MessagePackWriter w) => SyncShapes.WriteRoot(ref w, "SYNC_RESP_ROOT"u8, MapName, RootHash, Timestamp);

    internal static SyncRespRootMessage Read(ref WireReader r)
    {
        SyncShapes.ReadRoot(ref r, out var mapName, out var rootHash, out var ts);
        return new SyncRespRootMessage(mapName, rootHash, ts);
    }
}

/// <summary>C→S: ask for the children of a Merkle node (<c>''</c> = root).</summary>
public sealed record MerkleReqBucketMessage(string MapName, string Path) : Message
{
    public override string Type => MessageTypes.MerkleReqBucket;

    internal override void Write(ref MessagePackWriter w) => SyncShapes.WritePath(ref w, "MERKLE_REQ_BUCKET"u8, MapName, Path);

    internal static MerkleReqBucketMessage Read(ref WireReader r)
    {
        SyncShapes.ReadPath(ref r, out var mapName, out var path);
        return new MerkleReqBucketMessage(mapName, path);
    }
}

/// <summary>S→C: child hex char → hash of a Merkle node (empty for a missing node).</summary>
public sealed record SyncRespBucketsMessage(string MapName, string Path, WireMap<uint> Buckets) : Message
{
    public override string Type => MessageTypes.SyncRespBuckets;

    internal override void Write(ref MessagePackWriter w) => SyncShapes.WriteBuckets(ref w, "SYNC_RESP_BUCKETS"u8, MapName, Path, Buckets);

    internal static SyncRespBucketsMessage Read(ref WireReader r)
    {
        SyncShapes.ReadBuckets(ref r, out var mapName, out var path, out var buckets);
        return new SyncRespBucketsMessage(mapName, path, buckets);
    }
}

/// <summary>One record of an LWW Merkle leaf.</summary>
public sealed record SyncLeafRecord(string Key, LwwRecord Record)
{
    internal void Write(ref MessagePackWriter w)
    {
        WireWriter.Map(ref w, 2);
        WireWriter.Str(ref w, "key"u8, Key);
        WireWriter.Lww(ref w, "record"u8, Record);
    }

    internal static SyncLeafRecord Read(ref WireReader r)
    {
        string? key = null;
        LwwRecord? record = null;
        var n = r.MapHeader();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("key"u8)) key = r.Str("key");
            else if (k.SequenceEqual("record"u8)) record = r.LwwRecord("record");
            else r.Skip();
        }
        return new SyncLeafRecord(r.Required(key, "key"), r.Required(record, "record"));
    }
}

/// <summary>S→C: every record (tombstones included) of a Merkle leaf.</summary>
public sealed record SyncRespLeafMessage(string MapName, string Path, WireList<SyncLeafRecord> Records) : Message
{
    public override string Type => MessageTypes.SyncRespLeaf;

    internal override void Write(ref MessagePackWriter w)
    {
        WireWriter.Begin(ref w, 2, "SYNC_RESP_LEAF"u8);
        WireWriter.Key(ref w, "payload"u8);
        WireWriter.Map(ref w, 3);
        WireWriter.Str(ref w, "mapName"u8, MapName);
        WireWriter.Str(ref w, "path"u8, Path);
        WireWriter.Key(ref w, "records"u8);
        w.WriteArrayHeader(Records.Count);
        foreach (var record in Records) record.Write(ref w);
    }

    internal static SyncRespLeafMessage Read(ref WireReader r)
    {
        string? mapName = null, path = null;
        WireList<SyncLeafRecord>? records = null;
        var n = r.Payload();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("mapName"u8)) mapName = r.Str("mapName");
            else if (k.SequenceEqual("path"u8)) path = r.Str("path");
            else if (k.SequenceEqual("records"u8)) records = WireLists.Read(ref r, "records", SyncLeafRecord.Read);
            else r.Skip();
        }
        return new SyncRespLeafMessage(r.Required(mapName, "mapName"), r.Required(path, "path"), r.Required(records, "records"));
    }
}

/// <summary>S→C: the client's last sync is older than the tombstone horizon; it must clear the map and resync from 0.</summary>
public sealed record SyncResetRequiredMessage(string MapName) : Message
{
    public override string Type => MessageTypes.SyncResetRequired;

    internal override void Write(ref MessagePackWriter w) => SyncShapes.WriteMapNameOnly(ref w, "SYNC_RESET_REQUIRED"u8, MapName);

    internal static SyncResetRequiredMessage Read(ref WireReader r) => new(SyncShapes.ReadMapNameOnly(ref r));
}

/// <summary>Payload shapes shared by the LWW and OR-map sync messages.</summary>
internal static class SyncShapes
{
    public static void WriteRoot(ref MessagePackWriter w, ReadOnlySpan<byte> type, string mapName, uint rootHash, Timestamp ts)
    {
        WireWriter.Begin(ref w, 2, type);
        WireWriter.Key(ref w, "payload"u8);
        WireWriter.Map(ref w, 3);
        WireWriter.Str(ref w, "mapName"u8, mapName);
        WireWriter.Key(ref w, "rootHash"u8);
        w.Write(rootHash);
        WireWriter.Timestamp(ref w, "timestamp"u8, ts);
    }

    public static void ReadRoot(ref WireReader r, out string mapName, out uint rootHash, out Timestamp timestamp)
    {
        string? name = null;
        uint? hash = null;
        Timestamp? ts = null;
        var n = r.Payload();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("mapName"u8)) name = r.Str("mapName");
            else if (k.SequenceEqual("rootHash"u8)) hash = r.UInt32("rootHash");
            else if (k.SequenceEqual("timestamp"u8)) ts = r.Timestamp("timestamp");
            else r.Skip();
        }
        mapName = r.Required(name, "mapName");
        rootHash = r.Required(hash, "rootHash");
        timestamp = r.Required(ts, "timestamp");
    }

    public static void WritePath(ref MessagePackWriter w, ReadOnlySpan<byte> type, string mapName, string path)
    {
        WireWriter.Begin(ref w, 2, type);
        WireWriter.Key(ref w, "payload"u8);
        WireWriter.Map(ref w, 2);
        WireWriter.Str(ref w, "mapName"u8, mapName);
        WireWriter.Str(ref w, "path"u8, path);
    }

    public static void ReadPath(ref WireReader r, out string mapName, out string path)
    {
        string? name = null, p = null;
        var n = r.Payload();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("mapName"u8)) name = r.Str("mapName");
            else if (k.SequenceEqual("path"u8)) p = r.Str("path");
            else r.Skip();
        }
        mapName = r.Required(name, "mapName");
        path = r.Required(p, "path");
    }

    public static void WriteBuckets(ref MessagePackWriter w, ReadOnlySpan<byte> type, string mapName, string path, WireMap<uint> buckets)
    {
        WireWriter.Begin(ref w, 2, type);
        WireWriter.Key(ref w, "payload"u8);
        WireWriter.Map(ref w, 3);
        WireWriter.Str(ref w, "mapName"u8, mapName);
        WireWriter.Str(ref w, "path"u8, path);
        WireWriter.HashMap(ref w, "buckets"u8, buckets);
    }

    public static void ReadBuckets(ref WireReader r, out string mapName, out string path, out WireMap<uint> buckets)
    {
        string? name = null, p = null;
        WireMap<uint>? b = null;
        var n = r.Payload();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("mapName"u8)) name = r.Str("mapName");
            else if (k.SequenceEqual("path"u8)) p = r.Str("path");
            else if (k.SequenceEqual("buckets"u8)) b = r.HashMap("buckets");
            else r.Skip();
        }
        mapName = r.Required(name, "mapName");
        path = r.Required(p, "path");
        buckets = r.Required(b, "buckets");
    }

    public static void WriteMapNameOnly(ref MessagePackWriter w, ReadOnlySpan<byte> type, string mapName)
    {
        WireWriter.Begin(ref w, 2, type);
        WireWriter.Key(ref w, "payload"u8);
        WireWriter.Map(ref w, 1);
        WireWriter.Str(ref w, "mapName"u8, mapName);
    }

    public static string ReadMapNameOnly(ref WireReader r)
    {
        string? name = null;
        var n = r.Payload();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("mapName"u8)) name = r.Str("mapName");
            else r.Skip();
        }
        return r.Required(name, "mapName");
    }
}
