using Akka.Actor;
using MessagePack;
using TopGun.Core.Crdt;
using TopGun.Core.Protocol;
using TopGun.Server.Serialization;
using static TopGun.Server.Maps.Serialization.MapFormats;
using static TopGun.Server.Serialization.Fields;

namespace TopGun.Server.Maps.Serialization;

/// <summary>
/// Maps module: partition events and snapshots (stored in journal rows) and the partition protocol
/// (crosses nodes). Identifier 4712, stored next to every map event: never change it. A format change
/// adds a ".v2" manifest and keeps the ".v1" reader as legacy.
/// </summary>
internal sealed class MapSerializer : TopGunMessageSerializer
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

    private static LwwRecordsMerged ReadLwwRecordsMerged(ref MessagePackReader r) =>
        Body.Read(ref r, 2, static (ref MessagePackReader b) => new LwwRecordsMerged(ReadList(ref b, ReadKeyedLww), ReadTimestamp(ref b)));

    private static void WriteOrChangesMerged(ref MessagePackWriter w, OrChangesMerged m)
    {
        w.WriteArrayHeader(2);
        WriteList(ref w, m.Entries, WriteOrEntry);
        WriteTimestamp(ref w, m.ServerTime);
    }

    private static OrChangesMerged ReadOrChangesMerged(ref MessagePackReader r) =>
        Body.Read(ref r, 2, static (ref MessagePackReader b) => new OrChangesMerged(ReadList(ref b, ReadOrEntry), ReadTimestamp(ref b)));

    private static void WriteLwwSnapshot(ref MessagePackWriter w, LwwPartitionSnapshot m)
    {
        w.WriteArrayHeader(2);
        WriteList(ref w, m.Records, WriteKeyedLww);
        WriteTimestamp(ref w, m.ClockLast);
    }

    private static LwwPartitionSnapshot ReadLwwSnapshot(ref MessagePackReader r) =>
        Body.Read(ref r, 2, static (ref MessagePackReader b) => new LwwPartitionSnapshot(ReadList(ref b, ReadKeyedLww), ReadTimestamp(ref b)));

    private static void WriteOrSnapshot(ref MessagePackWriter w, OrPartitionSnapshot m)
    {
        w.WriteArrayHeader(2);
        WriteList(ref w, m.Entries, WriteOrEntry);
        WriteTimestamp(ref w, m.ClockLast);
    }

    private static OrPartitionSnapshot ReadOrSnapshot(ref MessagePackReader r) =>
        Body.Read(ref r, 2, static (ref MessagePackReader b) => new OrPartitionSnapshot(ReadList(ref b, ReadOrEntry), ReadTimestamp(ref b)));

    private static void WriteSingleTimestamp(ref MessagePackWriter w, Core.Clock.Timestamp ts)
    {
        w.WriteArrayHeader(1);
        WriteTimestamp(ref w, ts);
    }

    private static Core.Clock.Timestamp ReadSingleTimestamp(ref MessagePackReader r) =>
        Body.Read(ref r, 1, static (ref MessagePackReader b) => ReadTimestamp(ref b));

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
        Body.Skip(ref r, n, 2);
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
        MessageEnvelope.Write(ref w, Manifests, m.Command);
    }

    private static PartitionEnvelope ReadEnvelope(ref MessagePackReader r) =>
        Body.Read(ref r, 4, static (ref MessagePackReader b) =>
            new PartitionEnvelope(ReadString(ref b), ReadString(ref b), MessageEnvelope.Read<IPartitionCommand>(ref b, Manifests, "a partition command")));

    private static void WriteLwwOp(ref MessagePackWriter w, LwwOp op)
    {
        w.WriteArrayHeader(3);
        WriteNullableString(ref w, op.OpId);
        w.Write(op.Key);
        WriteLwwRecord(ref w, op.Record);
    }

    private static LwwOp ReadLwwOp(ref MessagePackReader r) =>
        Body.Read(ref r, 3, static (ref MessagePackReader b) => new LwwOp(ReadNullableString(ref b), ReadString(ref b), ReadLwwRecord(ref b)));

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
        Body.Skip(ref r, n, 4);
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

    private static ApplyLwwOps ReadApplyLwwOps(ref MessagePackReader r) =>
        Body.Read(ref r, 4, static (ref MessagePackReader b) => new ApplyLwwOps(b.ReadInt64(), ReadList(ref b, ReadLwwOp), ReadConcern(ref b), ReadString(ref b)));

    private static void WriteApplyOrOps(ref MessagePackWriter w, ApplyOrOps m)
    {
        w.WriteArrayHeader(4);
        w.Write(m.CorrelationId);
        WriteList(ref w, m.Ops, WriteOrOp);
        w.Write((int)m.Concern);
        w.Write(m.OriginId);
    }

    private static ApplyOrOps ReadApplyOrOps(ref MessagePackReader r) =>
        Body.Read(ref r, 4, static (ref MessagePackReader b) => new ApplyOrOps(b.ReadInt64(), ReadList(ref b, ReadOrOp), ReadConcern(ref b), ReadString(ref b)));

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
        Body.Skip(ref r, n, 4);
        return m;
    }

    private static void WriteMergeOrEntries(ref MessagePackWriter w, MergeOrEntries m)
    {
        w.WriteArrayHeader(3);
        w.Write(m.CorrelationId);
        WriteList(ref w, m.Entries, WriteOrEntry);
        w.Write(m.OriginId);
    }

    private static MergeOrEntries ReadMergeOrEntries(ref MessagePackReader r) =>
        Body.Read(ref r, 3, static (ref MessagePackReader b) => new MergeOrEntries(b.ReadInt64(), ReadList(ref b, ReadOrEntry), ReadString(ref b)));

    private static void WriteOrEntriesMerged(ref MessagePackWriter w, OrEntriesMerged m)
    {
        w.WriteArrayHeader(3);
        w.Write(m.CorrelationId);
        w.Write(m.NewRecords);
        w.Write(m.NewTombstones);
    }

    private static OrEntriesMerged ReadOrEntriesMerged(ref MessagePackReader r) =>
        Body.Read(ref r, 3, static (ref MessagePackReader b) => new OrEntriesMerged(b.ReadInt64(), b.ReadInt32(), b.ReadInt32()));

    private static void WriteGetMerkleNode(ref MessagePackWriter w, GetMerkleNode m)
    {
        w.WriteArrayHeader(3);
        w.Write(m.CorrelationId);
        WriteKind(ref w, m.Kind);
        w.Write(m.Path);
    }

    private static GetMerkleNode ReadGetMerkleNode(ref MessagePackReader r) =>
        Body.Read(ref r, 3, static (ref MessagePackReader b) => new GetMerkleNode(b.ReadInt64(), ReadKind(ref b), ReadString(ref b)));

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
        Body.Skip(ref r, n, 3);
        return new MerkleNodeHashes(correlationId, path, buckets);
    }

    private static void WriteLwwLeaf(ref MessagePackWriter w, LwwLeaf m)
    {
        w.WriteArrayHeader(3);
        w.Write(m.CorrelationId);
        w.Write(m.Path);
        WriteList(ref w, m.Records, WriteKeyedLww);
    }

    private static LwwLeaf ReadLwwLeaf(ref MessagePackReader r) =>
        Body.Read(ref r, 3, static (ref MessagePackReader b) => new LwwLeaf(b.ReadInt64(), ReadString(ref b), ReadList(ref b, ReadKeyedLww)));

    private static void WriteOrLeaf(ref MessagePackWriter w, OrLeaf m)
    {
        w.WriteArrayHeader(3);
        w.Write(m.CorrelationId);
        w.Write(m.Path);
        WriteList(ref w, m.Entries, WriteOrEntry);
    }

    private static OrLeaf ReadOrLeaf(ref MessagePackReader r) =>
        Body.Read(ref r, 3, static (ref MessagePackReader b) => new OrLeaf(b.ReadInt64(), ReadString(ref b), ReadList(ref b, ReadOrEntry)));

    private static GetPartitionRoot ReadGetPartitionRoot(ref MessagePackReader r) =>
        Body.Read(ref r, 1, static (ref MessagePackReader b) => new GetPartitionRoot(b.ReadInt64()));

    private static void WritePartitionRoot(ref MessagePackWriter w, PartitionRoot m)
    {
        w.WriteArrayHeader(4);
        w.Write(m.CorrelationId);
        w.Write(m.Partition);
        w.Write(m.Hash);
        if (m.Kind is { } kind) WriteKind(ref w, kind); else w.WriteNil();
    }

    private static PartitionRoot ReadPartitionRoot(ref MessagePackReader r) =>
        Body.Read(ref r, 4, static (ref MessagePackReader b) => new PartitionRoot(b.ReadInt64(), ReadString(ref b), b.ReadUInt32(), b.TryReadNil() ? null : ReadKind(ref b)));

    private static void WriteGetOrEntries(ref MessagePackWriter w, GetOrEntries m)
    {
        w.WriteArrayHeader(2);
        w.Write(m.CorrelationId);
        WriteStrings(ref w, m.Keys);
    }

    private static GetOrEntries ReadGetOrEntries(ref MessagePackReader r) =>
        Body.Read(ref r, 2, static (ref MessagePackReader b) => new GetOrEntries(b.ReadInt64(), ReadStrings(ref b)));

    private static void WriteOrEntriesResult(ref MessagePackWriter w, OrEntriesResult m)
    {
        w.WriteArrayHeader(2);
        w.Write(m.CorrelationId);
        WriteList(ref w, m.Entries, WriteOrEntry);
    }

    private static OrEntriesResult ReadOrEntriesResult(ref MessagePackReader r) =>
        Body.Read(ref r, 2, static (ref MessagePackReader b) => new OrEntriesResult(b.ReadInt64(), ReadList(ref b, ReadOrEntry)));

    private static void WriteQueryPartition(ref MessagePackWriter w, QueryPartition m)
    {
        w.WriteArrayHeader(3);
        w.Write(m.CorrelationId);
        WriteValue(ref w, QuerySpecFormat.ToValue(m.Spec));
        w.Write(m.NowMillis);
    }

    private static QueryPartition ReadQueryPartition(ref MessagePackReader r) =>
        Body.Read(ref r, 3, static (ref MessagePackReader b) => new QueryPartition(b.ReadInt64(), QuerySpecFormat.FromValue(ReadValue(ref b)), b.ReadInt64()));

    private static void WritePartitionQueryResult(ref MessagePackWriter w, PartitionQueryResult m)
    {
        // The sequence number is written only when set, so a reply without one keeps the v1 bytes.
        w.WriteArrayHeader(m.SequenceNr is null ? 2 : 3);
        w.Write(m.CorrelationId);
        WriteList(ref w, m.Candidates, WriteCandidate);
        if (m.SequenceNr is { } sequenceNr) w.Write(sequenceNr);
    }

    private static PartitionQueryResult ReadPartitionQueryResult(ref MessagePackReader r)
    {
        var n = r.ReadArrayHeader();
        var m = new PartitionQueryResult(r.ReadInt64(), ReadList(ref r, ReadCandidate), n > 2 ? ReadNullableInt64(ref r) : null);
        Body.Skip(ref r, n, 3);
        return m;
    }

    private static void WriteRejected(ref MessagePackWriter w, PartitionCommandRejected m)
    {
        w.WriteArrayHeader(2);
        w.Write(m.CorrelationId);
        w.Write(m.Error);
    }

    private static PartitionCommandRejected ReadRejected(ref MessagePackReader r) =>
        Body.Read(ref r, 2, static (ref MessagePackReader b) => new PartitionCommandRejected(b.ReadInt64(), ReadString(ref b)));

    private static void WriteMapChanged(ref MessagePackWriter w, MapChanged m)
    {
        // The sequence number is written only when set, so a change without one keeps the v1 bytes.
        w.WriteArrayHeader(m.SequenceNr is null ? 4 : 5);
        w.Write(m.MapName);
        w.Write(m.OriginId);
        WriteList(ref w, m.Changes, WriteMapChange);
        WriteTimestamp(ref w, m.ServerTime);
        if (m.SequenceNr is { } sequenceNr) w.Write(sequenceNr);
    }

    private static MapChanged ReadMapChanged(ref MessagePackReader r)
    {
        var n = r.ReadArrayHeader();
        var m = new MapChanged(ReadString(ref r), ReadString(ref r), ReadList(ref r, ReadMapChange), ReadTimestamp(ref r), n > 4 ? ReadNullableInt64(ref r) : null);
        Body.Skip(ref r, n, 5);
        return m;
    }
}
