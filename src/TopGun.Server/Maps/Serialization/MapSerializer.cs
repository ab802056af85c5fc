using Akka.Actor;
using MessagePack;
using TopGun.Core.Crdt;
using TopGun.Core.Protocol;
using TopGun.Server.Serialization;
using static TopGun.Server.Maps.Serialization.MapFormats;

namespace TopGun.Server.Maps.Serialization;

/// <summary>
/// Maps module: partition events and snapshots (stored in journal rows) and the partition protocol
/// (crosses nodes). Identifier 4712, stored next to every map event: never change it. A format change
/// adds a ".v2" manifest and keeps the ".v1" reader as legacy.
/// </summary>
public sealed class MapSerializer : TopGunMessageSerializer
{
    public const int SerializerId = 4712;

    public static readonly ManifestRegistry Manifests = ManifestRegistry.Create()
        // persisted
        .Add<LwwRecordsMerged>("map.lww-records-merged.v1", WriteLwwRecordsMerged, ReadLwwRecordsMerged)
        .Add<OrChangesMerged>("map.or-changes-merged.v1", WriteOrChangesMerged, ReadOrChangesMerged)
        .Add<LwwTombstonesPruned>("map.lww-tombstones-pruned.v1", (ref MessagePackWriter w, LwwTombstonesPruned m) => WriteSingleTimestamp(ref w, m.OlderThan), (ref MessagePackReader r) => new LwwTombstonesPruned(ReadSingleTimestamp(ref r)))
        .Add<OrTombstonesPruned>("map.or-tombstones-pruned.v1", (ref MessagePackWriter w, OrTombstonesPruned m) => WriteSingleTimestamp(ref w, m.OlderThan), (ref MessagePackReader r) => new OrTombstonesPruned(ReadSingleTimestamp(ref r)))
        .Add<LwwPartitionSnapshot>("map.lww-snapshot.v1", WriteLwwSnapshot, ReadLwwSnapshot)
        .Add<OrPartitionSnapshot>("map.or-snapshot.v1", WriteOrSnapshot, ReadOrSnapshot)
        .Add<MapTypeFixed>("map.type-fixed.v1", (ref MessagePackWriter w, MapTypeFixed m) => WriteNameAndKind(ref w, m.MapName, m.Kind), (ref MessagePackReader r) => ReadNameAndKind(ref r, (n, k) => new MapTypeFixed(n, k)))
        // node to node
        .Add<PartitionEnvelope>("map.envelope.v1", WriteEnvelope, ReadEnvelope)
        .Add<ApplyLwwOps>("map.apply-lww-ops.v1", WriteApplyLwwOps, ReadApplyLwwOps)
        .Add<ApplyOrOps>("map.apply-or-ops.v1", WriteApplyOrOps, ReadApplyOrOps)
        .Add<OpsApplied>("map.ops-applied.v1", WriteOpsApplied, ReadOpsApplied)
        .Add<MergeOrEntries>("map.merge-or-entries.v1", WriteMergeOrEntries, ReadMergeOrEntries)
        .Add<OrEntriesMerged>("map.or-entries-merged.v1", WriteOrEntriesMerged, ReadOrEntriesMerged)
        .Add<GetMerkleNode>("map.get-merkle-node.v1", WriteGetMerkleNode, ReadGetMerkleNode)
        .Add<MerkleNodeHashes>("map.merkle-node-hashes.v1", WriteMerkleNodeHashes, ReadMerkleNodeHashes)
        .Add<LwwLeaf>("map.lww-leaf.v1", WriteLwwLeaf, ReadLwwLeaf)
        .Add<OrLeaf>("map.or-leaf.v1", WriteOrLeaf, ReadOrLeaf)
        .Add<GetPartitionRoot>("map.get-partition-root.v1", (ref MessagePackWriter w, GetPartitionRoot m) => { w.WriteArrayHeader(1); w.Write(m.CorrelationId); }, ReadGetPartitionRoot)
        .Add<PartitionRoot>("map.partition-root.v1", WritePartitionRoot, ReadPartitionRoot)
        .Add<GetOrEntries>("map.get-or-entries.v1", WriteGetOrEntries, ReadGetOrEntries)
        .Add<OrEntriesResult>("map.or-entries-result.v1", WriteOrEntriesResult, ReadOrEntriesResult)
        .Add<QueryPartition>("map.query-partition.v1", WriteQueryPartition, ReadQueryPartition)
        .Add<PartitionQueryResult>("map.partition-query-result.v1", WritePartitionQueryResult, ReadPartitionQueryResult)
        .Add<PartitionCommandRejected>("map.command-rejected.v1", WriteRejected, ReadRejected)
        .Add<ClaimMapType>("map.claim-type.v1", (ref MessagePackWriter w, ClaimMapType m) => WriteNameAndKind(ref w, m.MapName, m.Kind), (ref MessagePackReader r) => ReadNameAndKind(ref r, (n, k) => new ClaimMapType(n, k)))
        .Add<MapTypeClaimed>("map.type-claimed.v1", (ref MessagePackWriter w, MapTypeClaimed m) => WriteNameAndKind(ref w, m.MapName, m.Actual), (ref MessagePackReader r) => ReadNameAndKind(ref r, (n, k) => new MapTypeClaimed(n, k)))
        .Add<MapChanged>("map.changed.v1", WriteMapChanged, ReadMapChanged)
        .Build();

    public MapSerializer(ExtendedActorSystem system) : base(system, Manifests) { }

    public override int Identifier => SerializerId;

    // ---- events and snapshots --------------------------------------------------------------

    private static void WriteLwwRecordsMerged(ref MessagePackWriter w, LwwRecordsMerged m)
    {
        w.WriteArrayHeader(2);
        WriteList(ref w, m.Records, WriteKeyedLww);
        WriteTimestamp(ref w, m.ServerTime);
    }

    private static LwwRecordsMerged ReadLwwRecordsMerged(ref MessagePackReader r)
    {
        var n = r.ReadArrayHeader();
        var m = new LwwRecordsMerged(ReadList(ref r, ReadKeyedLww), ReadTimestamp(ref r));
        Skip(ref r, n, 2);
        return m;
    }

    private static void WriteOrChangesMerged(ref MessagePackWriter w, OrChangesMerged m)
    {
        w.WriteArrayHeader(2);
        WriteList(ref w, m.Entries, WriteOrEntry);
        WriteTimestamp(ref w, m.ServerTime);
    }

    private static OrChangesMerged ReadOrChangesMerged(ref MessagePackReader r)
    {
        var n = r.ReadArrayHeader();
        var m = new OrChangesMerged(ReadList(ref r, ReadOrEntry), ReadTimestamp(ref r));
        Skip(ref r, n, 2);
        return m;
    }

    private static void WriteLwwSnapshot(ref MessagePackWriter w, LwwPartitionSnapshot m)
    {
        w.WriteArrayHeader(2);
        WriteList(ref w, m.Records, WriteKeyedLww);
        WriteTimestamp(ref w, m.ClockLast);
    }

    private static LwwPartitionSnapshot ReadLwwSnapshot(ref MessagePackReader r)
    {
        var n = r.ReadArrayHeader();
        var m = new LwwPartitionSnapshot(ReadList(ref r, ReadKeyedLww), ReadTimestamp(ref r));
        Skip(ref r, n, 2);
        return m;
    }

    private static void WriteOrSnapshot(ref MessagePackWriter w, OrPartitionSnapshot m)
    {
        w.WriteArrayHeader(2);
        WriteList(ref w, m.Entries, WriteOrEntry);
        WriteTimestamp(ref w, m.ClockLast);
    }

    private static OrPartitionSnapshot ReadOrSnapshot(ref MessagePackReader r)
    {
        var n = r.ReadArrayHeader();
        var m = new OrPartitionSnapshot(ReadList(ref r, ReadOrEntry), ReadTimestamp(ref r));
        Skip(ref r, n, 2);
        return m;
    }

    private static void WriteSingleTimestamp(ref MessagePackWriter w, Core.Clock.Timestamp ts)
    {
        w.WriteArrayHeader(1);
        WriteTimestamp(ref w, ts);
    }

    private static Core.Clock.Timestamp ReadSingleTimestamp(ref MessagePackReader r)
    {
        var n = r.ReadArrayHeader();
        var ts = ReadTimestamp(ref r);
        Skip(ref r, n, 1);
        return ts;
    }

    private static void WriteNameAndKind(ref MessagePackWriter w, string name, MapKind kind)
    {
        w.WriteArrayHeader(2);
        w.Write(name);
        WriteKind(ref w, kind);
    }

    private static T ReadNameAndKind<T>(ref MessagePackReader r, Func<string, MapKind, T> create)
    {
        var n = r.ReadArrayHeader();
        var result = create(ReadString(ref r), ReadKind(ref r));
        Skip(ref r, n, 2);
        return result;
    }

    private static WriteConcern ReadConcern(ref MessagePackReader r)
    {
        var raw = r.ReadInt32();
        return Enum.IsDefined((WriteConcern)raw) ? (WriteConcern)raw : throw new MessagePackSerializationException($"Unknown write concern {raw}.");
    }

    // ---- commands and replies --------------------------------------------------------------

    private static void WriteEnvelope(ref MessagePackWriter w, PartitionEnvelope m)
    {
        w.WriteArrayHeader(4);
        w.Write(m.MapName);
        w.Write(m.Partition);
        w.Write(Manifests.ManifestFor(m.Command));
        w.Write(Manifests.Write(m.Command));
    }

    private static PartitionEnvelope ReadEnvelope(ref MessagePackReader r)
    {
        var n = r.ReadArrayHeader();
        var map = ReadString(ref r);
        var partition = ReadString(ref r);
        var manifest = ReadString(ref r);
        var bytes = r.ReadBytes() ?? throw new MessagePackSerializationException("The envelope has no command.");
        Skip(ref r, n, 4);
        var command = Manifests.Read(System.Buffers.BuffersExtensions.ToArray(bytes), manifest) as IPartitionCommand
            ?? throw new MessagePackSerializationException($"Manifest '{manifest}' is not a partition command.");
        return new PartitionEnvelope(map, partition, command);
    }

    private static void WriteLwwOp(ref MessagePackWriter w, LwwOp op)
    {
        w.WriteArrayHeader(3);
        WriteNullableString(ref w, op.OpId);
        w.Write(op.Key);
        WriteLwwRecord(ref w, op.Record);
    }

    private static LwwOp ReadLwwOp(ref MessagePackReader r)
    {
        var n = r.ReadArrayHeader();
        var op = new LwwOp(ReadNullableString(ref r), ReadString(ref r), ReadLwwRecord(ref r));
        Skip(ref r, n, 3);
        return op;
    }

    private static void WriteOrOp(ref MessagePackWriter w, OrOp op)
    {
        w.WriteArrayHeader(4);
        WriteNullableString(ref w, op.OpId);
        w.Write(op.Key);
        if (op.Add is { } add) WriteOrRecord(ref w, add); else w.WriteNil();
        WriteNullableString(ref w, op.RemoveTag);
    }

    private static OrOp ReadOrOp(ref MessagePackReader r)
    {
        var n = r.ReadArrayHeader();
        var opId = ReadNullableString(ref r);
        var key = ReadString(ref r);
        var add = r.TryReadNil() ? null : ReadOrRecord(ref r);
        var op = new OrOp(opId, key, add, ReadNullableString(ref r));
        Skip(ref r, n, 4);
        return op;
    }

    private static void WriteApplyLwwOps(ref MessagePackWriter w, ApplyLwwOps m)
    {
        w.WriteArrayHeader(4);
        w.Write(m.CorrelationId);
        WriteList(ref w, m.Ops, WriteLwwOp);
        w.Write((int)m.Concern);
        w.Write(m.OriginId);
    }

    private static ApplyLwwOps ReadApplyLwwOps(ref MessagePackReader r)
    {
        var n = r.ReadArrayHeader();
        var m = new ApplyLwwOps(r.ReadInt64(), ReadList(ref r, ReadLwwOp), ReadConcern(ref r), ReadString(ref r));
        Skip(ref r, n, 4);
        return m;
    }

    private static void WriteApplyOrOps(ref MessagePackWriter w, ApplyOrOps m)
    {
        w.WriteArrayHeader(4);
        w.Write(m.CorrelationId);
        WriteList(ref w, m.Ops, WriteOrOp);
        w.Write((int)m.Concern);
        w.Write(m.OriginId);
    }

    private static ApplyOrOps ReadApplyOrOps(ref MessagePackReader r)
    {
        var n = r.ReadArrayHeader();
        var m = new ApplyOrOps(r.ReadInt64(), ReadList(ref r, ReadOrOp), ReadConcern(ref r), ReadString(ref r));
        Skip(ref r, n, 4);
        return m;
    }

    private static void WriteOpsApplied(ref MessagePackWriter w, OpsApplied m)
    {
        // The fourth element is written only when set, so a reply that met its concern keeps the v1 bytes.
        w.WriteArrayHeader(m.ConcernNotMet is null ? 3 : 4);
        w.Write(m.CorrelationId);
        WriteList(ref w, m.Outcomes, WriteOutcome);
        w.Write((int)m.Achieved);
        if (m.ConcernNotMet is { } unmet) w.Write(unmet);
    }

    private static OpsApplied ReadOpsApplied(ref MessagePackReader r)
    {
        var n = r.ReadArrayHeader();
        var m = new OpsApplied(r.ReadInt64(), ReadList(ref r, ReadOutcome), ReadConcern(ref r), n > 3 ? ReadNullableString(ref r) : null);
        Skip(ref r, n, 4);
        return m;
    }

    private static void WriteMergeOrEntries(ref MessagePackWriter w, MergeOrEntries m)
    {
        w.WriteArrayHeader(3);
        w.Write(m.CorrelationId);
        WriteList(ref w, m.Entries, WriteOrEntry);
        w.Write(m.OriginId);
    }

    private static MergeOrEntries ReadMergeOrEntries(ref MessagePackReader r)
    {
        var n = r.ReadArrayHeader();
        var m = new MergeOrEntries(r.ReadInt64(), ReadList(ref r, ReadOrEntry), ReadString(ref r));
        Skip(ref r, n, 3);
        return m;
    }

    private static void WriteOrEntriesMerged(ref MessagePackWriter w, OrEntriesMerged m)
    {
        w.WriteArrayHeader(3);
        w.Write(m.CorrelationId);
        w.Write(m.NewRecords);
        w.Write(m.NewTombstones);
    }

    private static OrEntriesMerged ReadOrEntriesMerged(ref MessagePackReader r)
    {
        var n = r.ReadArrayHeader();
        var m = new OrEntriesMerged(r.ReadInt64(), r.ReadInt32(), r.ReadInt32());
        Skip(ref r, n, 3);
        return m;
    }

    private static void WriteGetMerkleNode(ref MessagePackWriter w, GetMerkleNode m)
    {
        w.WriteArrayHeader(3);
        w.Write(m.CorrelationId);
        WriteKind(ref w, m.Kind);
        w.Write(m.Path);
    }

    private static GetMerkleNode ReadGetMerkleNode(ref MessagePackReader r)
    {
        var n = r.ReadArrayHeader();
        var m = new GetMerkleNode(r.ReadInt64(), ReadKind(ref r), ReadString(ref r));
        Skip(ref r, n, 3);
        return m;
    }

    private static void WriteMerkleNodeHashes(ref MessagePackWriter w, MerkleNodeHashes m)
    {
        w.WriteArrayHeader(3);
        w.Write(m.CorrelationId);
        w.Write(m.Path);
        w.WriteMapHeader(m.Buckets.Count);
        foreach (var (digit, hash) in m.Buckets)
        {
            w.Write(digit.ToString());
            w.Write(hash);
        }
    }

    private static MerkleNodeHashes ReadMerkleNodeHashes(ref MessagePackReader r)
    {
        var n = r.ReadArrayHeader();
        var correlationId = r.ReadInt64();
        var path = ReadString(ref r);
        var count = r.ReadMapHeader();
        var buckets = new Dictionary<char, uint>(count);
        for (var i = 0; i < count; i++)
        {
            var digit = ReadString(ref r);
            if (digit.Length != 1) throw new MessagePackSerializationException($"Bucket name '{digit}' is not one hex digit.");
            buckets[digit[0]] = r.ReadUInt32();
        }
        Skip(ref r, n, 3);
        return new MerkleNodeHashes(correlationId, path, buckets);
    }

    private static void WriteLwwLeaf(ref MessagePackWriter w, LwwLeaf m)
    {
        w.WriteArrayHeader(3);
        w.Write(m.CorrelationId);
        w.Write(m.Path);
        WriteList(ref w, m.Records, WriteKeyedLww);
    }

    private static LwwLeaf ReadLwwLeaf(ref MessagePackReader r)
    {
        var n = r.ReadArrayHeader();
        var m = new LwwLeaf(r.ReadInt64(), ReadString(ref r), ReadList(ref r, ReadKeyedLww));
        Skip(ref r, n, 3);
        return m;
    }

    private static void WriteOrLeaf(ref MessagePackWriter w, OrLeaf m)
    {
        w.WriteArrayHeader(3);
        w.Write(m.CorrelationId);
        w.Write(m.Path);
        WriteList(ref w, m.Entries, WriteOrEntry);
    }

    private static OrLeaf ReadOrLeaf(ref MessagePackReader r)
    {
        var n = r.ReadArrayHeader();
        var m = new OrLeaf(r.ReadInt64(), ReadString(ref r), ReadList(ref r, ReadOrEntry));
        Skip(ref r, n, 3);
        return m;
    }

    private static GetPartitionRoot ReadGetPartitionRoot(ref MessagePackReader r)
    {
        var n = r.ReadArrayHeader();
        var m = new GetPartitionRoot(r.ReadInt64());
        Skip(ref r, n, 1);
        return m;
    }

    private static void WritePartitionRoot(ref MessagePackWriter w, PartitionRoot m)
    {
        w.WriteArrayHeader(4);
        w.Write(m.CorrelationId);
        w.Write(m.Partition);
        w.Write(m.Hash);
        if (m.Kind is { } kind) WriteKind(ref w, kind); else w.WriteNil();
    }

    private static PartitionRoot ReadPartitionRoot(ref MessagePackReader r)
    {
        var n = r.ReadArrayHeader();
        var m = new PartitionRoot(r.ReadInt64(), ReadString(ref r), r.ReadUInt32(), r.TryReadNil() ? null : ReadKind(ref r));
        Skip(ref r, n, 4);
        return m;
    }

    private static void WriteGetOrEntries(ref MessagePackWriter w, GetOrEntries m)
    {
        w.WriteArrayHeader(2);
        w.Write(m.CorrelationId);
        WriteList(ref w, m.Keys, static (ref MessagePackWriter x, string s) => x.Write(s));
    }

    private static GetOrEntries ReadGetOrEntries(ref MessagePackReader r)
    {
        var n = r.ReadArrayHeader();
        var m = new GetOrEntries(r.ReadInt64(), ReadList(ref r, ReadString));
        Skip(ref r, n, 2);
        return m;
    }

    private static void WriteOrEntriesResult(ref MessagePackWriter w, OrEntriesResult m)
    {
        w.WriteArrayHeader(2);
        w.Write(m.CorrelationId);
        WriteList(ref w, m.Entries, WriteOrEntry);
    }

    private static OrEntriesResult ReadOrEntriesResult(ref MessagePackReader r)
    {
        var n = r.ReadArrayHeader();
        var m = new OrEntriesResult(r.ReadInt64(), ReadList(ref r, ReadOrEntry));
        Skip(ref r, n, 2);
        return m;
    }

    private static void WriteQueryPartition(ref MessagePackWriter w, QueryPartition m)
    {
        w.WriteArrayHeader(3);
        w.Write(m.CorrelationId);
        WriteValue(ref w, QuerySpecFormat.ToValue(m.Spec));
        w.Write(m.NowMillis);
    }

    private static QueryPartition ReadQueryPartition(ref MessagePackReader r)
    {
        var n = r.ReadArrayHeader();
        var m = new QueryPartition(r.ReadInt64(), QuerySpecFormat.FromValue(ReadValue(ref r)), r.ReadInt64());
        Skip(ref r, n, 3);
        return m;
    }

    private static void WritePartitionQueryResult(ref MessagePackWriter w, PartitionQueryResult m)
    {
        w.WriteArrayHeader(2);
        w.Write(m.CorrelationId);
        WriteList(ref w, m.Candidates, WriteCandidate);
    }

    private static PartitionQueryResult ReadPartitionQueryResult(ref MessagePackReader r)
    {
        var n = r.ReadArrayHeader();
        var m = new PartitionQueryResult(r.ReadInt64(), ReadList(ref r, ReadCandidate));
        Skip(ref r, n, 2);
        return m;
    }

    private static void WriteRejected(ref MessagePackWriter w, PartitionCommandRejected m)
    {
        w.WriteArrayHeader(2);
        w.Write(m.CorrelationId);
        w.Write(m.Error);
    }

    private static PartitionCommandRejected ReadRejected(ref MessagePackReader r)
    {
        var n = r.ReadArrayHeader();
        var m = new PartitionCommandRejected(r.ReadInt64(), ReadString(ref r));
        Skip(ref r, n, 2);
        return m;
    }

    private static void WriteMapChanged(ref MessagePackWriter w, MapChanged m)
    {
        w.WriteArrayHeader(4);
        w.Write(m.MapName);
        w.Write(m.OriginId);
        WriteList(ref w, m.Changes, WriteMapChange);
        WriteTimestamp(ref w, m.ServerTime);
    }

    private static MapChanged ReadMapChanged(ref MessagePackReader r)
    {
        var n = r.ReadArrayHeader();
        var m = new MapChanged(ReadString(ref r), ReadString(ref r), ReadList(ref r, ReadMapChange), ReadTimestamp(ref r));
        Skip(ref r, n, 4);
        return m;
    }
}
