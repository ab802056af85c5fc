using MessagePack;
using TopGun.Core.Clock;
using TopGun.Core.Crdt;

namespace TopGun.Core.Protocol;

/// <summary>C→S: start Merkle sync of an OR map with the client's root and top-level bucket hashes.</summary>
public sealed record OrMapSyncInitMessage(string MapName, uint RootHash, WireMap<uint> BucketHashes, long? LastSyncTimestamp = null) : Message
{
    public override string Type => MessageTypes.OrMapSyncInit;

    internal override void Write(ref MessagePackWriter w)
    {
        WireWriter.Begin(ref w, 4 + WireWriter.Count(LastSyncTimestamp is not null), "ORMAP_SYNC_INIT"u8);
        WireWriter.Str(ref w, "mapName"u8, MapName);
        WireWriter.Key(ref w, "rootHash"u8);
        w.Write(RootHash);
        WireWriter.HashMap(ref w, "bucketHashes"u8, BucketHashes);
        if (LastSyncTimestamp is { } last) WireWriter.Float(ref w, "lastSyncTimestamp"u8, last);
    }

    internal static OrMapSyncInitMessage Read(ref WireReader r)
    {
        string? mapName = null;
        uint? rootHash = null;
        WireMap<uint>? buckets = null;
        long? last = null;
        var n = r.MapHeader();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("mapName"u8)) mapName = r.Str("mapName");
            else if (k.SequenceEqual("rootHash"u8)) rootHash = r.UInt32("rootHash");
            else if (k.SequenceEqual("bucketHashes"u8)) buckets = r.HashMap("bucketHashes");
            else if (k.SequenceEqual("lastSyncTimestamp"u8)) last = r.OptNonNegInt("lastSyncTimestamp");
            else r.Skip();
        }
        return new OrMapSyncInitMessage(r.Required(mapName, "mapName"), r.Required(rootHash, "rootHash"), buckets ?? WireMap<uint>.Empty, last);
    }
}

/// <summary>S→C: the OR map's Merkle root and the server's HLC time.</summary>
public sealed record OrMapSyncRespRootMessage(string MapName, uint RootHash, Timestamp Timestamp) : Message
{
    public override string Type => MessageTypes.OrMapSyncRespRoot;

    internal override void Write(ref MessagePackWriter w) => SyncShapes.WriteRoot(ref w, "ORMAP_SYNC_RESP_ROOT"u8, MapName, RootHash, Timestamp);

    internal static OrMapSyncRespRootMessage Read(ref WireReader r)
    {
        SyncShapes.ReadRoot(ref r, out var mapName, out var rootHash, out var ts);
        return new OrMapSyncRespRootMessage(mapName, rootHash, ts);
    }
}

/// <summary>C→S: ask for the children of an OR-map Merkle node.</summary>
public sealed record OrMapMerkleReqBucketMessage(string MapName, string Path) : Message
{
    public override string Type => MessageTypes.OrMapMerkleReqBucket;

    internal override void Write(ref MessagePackWriter w) => SyncShapes.WritePath(ref w, "ORMAP_MERKLE_REQ_BUCKET"u8, MapName, Path);

    internal static OrMapMerkleReqBucketMessage Read(ref WireReader r)
    {
        SyncShapes.ReadPath(ref r, out var mapName, out var path);
        return new OrMapMerkleReqBucketMessage(mapName, path);
    }
}

/// <summary>S→C: child hex char → hash of an OR-map Merkle node.</summary>
public sealed record OrMapSyncRespBucketsMessage(string MapName, string Path, WireMap<uint> Buckets) : Message
{
    public override string Type => MessageTypes.OrMapSyncRespBuckets;

    internal override void Write(ref MessagePackWriter w) => SyncShapes.WriteBuckets(ref w, "ORMAP_SYNC_RESP_BUCKETS"u8, MapName, Path, Buckets);

    internal static OrMapSyncRespBucketsMessage Read(ref WireReader r)
    {
        SyncShapes.ReadBuckets(ref r, out var mapName, out var path, out var buckets);
        return new OrMapSyncRespBucketsMessage(mapName, path, buckets);
    }
}

/// <summary>One key of an OR map on the wire: all its current records and the map's tombstone tags for it.</summary>
public sealed record OrMapEntry(string Key, WireList<OrMapRecord> Records, WireList<string> Tombstones)
{
    internal void Write(ref MessagePackWriter w)
    {
        WireWriter.Map(ref w, 3);
        WireWriter.Str(ref w, "key"u8, Key);
        WireWriter.Key(ref w, "records"u8);
        w.WriteArrayHeader(Records.Count);
        foreach (var record in Records) WireWriter.OrRecord(ref w, record);
        WireWriter.StringList(ref w, "tombstones"u8, Tombstones);
    }

    internal static OrMapEntry Read(ref WireReader r)
    {
        string? key = null;
        WireList<OrMapRecord>? records = null;
        WireList<string>? tombstones = null;
        var n = r.MapHeader();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("key"u8)) key = r.Str("key");
            else if (k.SequenceEqual("records"u8)) records = WireLists.Read(ref r, "records", ReadRecord);
            else if (k.SequenceEqual("tombstones"u8)) tombstones = r.StringList("tombstones");
            else r.Skip();
        }
        return new OrMapEntry(r.Required(key, "key"), r.Required(records, "records"), r.Required(tombstones, "tombstones"));
    }

    private static OrMapRecord ReadRecord(ref WireReader r) => r.OrRecord(null);

    internal static void WriteList(ref MessagePackWriter w, WireList<OrMapEntry> entries)
    {
        WireWriter.Key(ref w, "entries"u8);
        w.WriteArrayHeader(entries.Count);
        foreach (var e in entries) e.Write(ref w);
    }

    internal static void ReadMapEntries(ref WireReader r, out string mapName, out WireList<OrMapEntry> entries, out string? path)
    {
        string? name = null, p = null;
        WireList<OrMapEntry>? list = null;
        var n = r.Payload();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("mapName"u8)) name = r.Str("mapName");
            else if (k.SequenceEqual("path"u8)) p = r.Str("path");
            else if (k.SequenceEqual("entries"u8)) list = WireLists.Read(ref r, "entries", Read);
            else r.Skip();
        }
        mapName = r.Required(name, "mapName");
        entries = r.Required(list, "entries");
        path = p;
    }
}

/// <summary>S→C: the entries of an OR-map Merkle leaf.</summary>
public sealed record OrMapSyncRespLeafMessage(string MapName, string Path, WireList<OrMapEntry> Entries) : Message
{
    public override string Type => MessageTypes.OrMapSyncRespLeaf;

    internal override void Write(ref MessagePackWriter w)
    {
        WireWriter.Begin(ref w, 2, "ORMAP_SYNC_RESP_LEAF"u8);
        WireWriter.Key(ref w, "payload"u8);
        WireWriter.Map(ref w, 3);
        WireWriter.Str(ref w, "mapName"u8, MapName);
        WireWriter.Str(ref w, "path"u8, Path);
        OrMapEntry.WriteList(ref w, Entries);
    }

    internal static OrMapSyncRespLeafMessage Read(ref WireReader r)
    {
        OrMapEntry.ReadMapEntries(ref r, out var mapName, out var entries, out var path);
        return new OrMapSyncRespLeafMessage(mapName, r.Required(path, "path"), entries);
    }
}

/// <summary>C→S: ask for the entries of specific keys.</summary>
public sealed record OrMapDiffRequestMessage(string MapName, WireList<string> Keys) : Message
{
    public override string Type => MessageTypes.OrMapDiffRequest;

    internal override void Write(ref MessagePackWriter w)
    {
        WireWriter.Begin(ref w, 2, "ORMAP_DIFF_REQUEST"u8);
        WireWriter.Key(ref w, "payload"u8);
        WireWriter.Map(ref w, 2);
        WireWriter.Str(ref w, "mapName"u8, MapName);
        WireWriter.StringList(ref w, "keys"u8, Keys);
    }

    internal static OrMapDiffRequestMessage Read(ref WireReader r)
    {
        string? mapName = null;
        WireList<string>? keys = null;
        var n = r.Payload();
        for (var i = 0; i < n; i++)
        {
            var k = r.Key();
            if (r.SkipUndefined()) continue;
            if (k.SequenceEqual("mapName"u8)) mapName = r.Str("mapName");
            else if (k.SequenceEqual("keys"u8)) keys = r.StringList("keys");
            else r.Skip();
        }
        return new OrMapDiffRequestMessage(r.Required(mapName, "mapName"), r.Required(keys, "keys"));
    }
}

/// <summary>S→C: the entries asked for by ORMAP_DIFF_REQUEST.</summary>
public sealed record OrMapDiffResponseMessage(string MapName, WireList<OrMapEntry> Entries) : Message
{
    public override string Type => MessageTypes.OrMapDiffResponse;

    internal override void Write(ref MessagePackWriter w)
    {
        WireWriter.Begin(ref w, 2, "ORMAP_DIFF_RESPONSE"u8);
        WireWriter.Key(ref w, "payload"u8);
        WireWriter.Map(ref w, 2);
        WireWriter.Str(ref w, "mapName"u8, MapName);
        OrMapEntry.WriteList(ref w, Entries);
    }

    internal static OrMapDiffResponseMessage Read(ref WireReader r)
    {
        OrMapEntry.ReadMapEntries(ref r, out var mapName, out var entries, out _);
        return new OrMapDiffResponseMessage(mapName, entries);
    }
}

/// <summary>C→S: the client's own records and tombstones for keys it just synced.</summary>
public sealed record OrMapPushDiffMessage(string MapName, WireList<OrMapEntry> Entries) : Message
{
    public override string Type => MessageTypes.OrMapPushDiff;

    internal override void Write(ref MessagePackWriter w)
    {
        WireWriter.Begin(ref w, 2, "ORMAP_PUSH_DIFF"u8);
        WireWriter.Key(ref w, "payload"u8);
        WireWriter.Map(ref w, 2);
        WireWriter.Str(ref w, "mapName"u8, MapName);
        OrMapEntry.WriteList(ref w, Entries);
    }

    internal static OrMapPushDiffMessage Read(ref WireReader r)
    {
        OrMapEntry.ReadMapEntries(ref r, out var mapName, out var entries, out _);
        return new OrMapPushDiffMessage(mapName, entries);
    }
}
