using Akka.Actor;
using Akka.Streams;
using MessagePack;
using TopGun.Server.Maps;
using TopGun.Server.Maps.Serialization;
using TopGun.Server.Serialization;
using static TopGun.Server.Serialization.Fields;

namespace TopGun.Server.Replication.Serialization;

/// <summary>
/// Replication protocol between owners and replicas (node to node only, never persisted). Identifier 4713.
/// Deltas embed a partition event in its journal format (<see cref="MapSerializer"/> manifest + bytes);
/// actor refs travel as their serialized paths and StreamRefs through Akka.Streams' own serializer.
/// </summary>
internal sealed class ReplicationSerializer : TopGunMessageSerializer
{
    public const int SerializerId = 4713;

    public ReplicationSerializer(ExtendedActorSystem system) : base(system, Build(system)) { }

    public override int Identifier => SerializerId;

    private static ManifestRegistry Build(ExtendedActorSystem system) => ManifestRegistry.Create()
        .Add<ReplicaDelta>("replication.delta.v1",
            (ref MessagePackWriter w, ReplicaDelta m) => { w.WriteArrayHeader(3); w.Write(m.EntityId); w.Write(m.Seq); WriteEvent(ref w, m.Event); },
            (ref MessagePackReader r) => Body.Read(ref r, 3, static (ref MessagePackReader b) => new ReplicaDelta(ReadString(ref b), b.ReadInt64(), ReadEvent(ref b))))
        .Add<ReplicaDeltaAck>("replication.delta-ack.v1",
            (ref MessagePackWriter w, ReplicaDeltaAck m) => { w.WriteArrayHeader(2); w.Write(m.EntityId); w.Write(m.Seq); },
            (ref MessagePackReader r) => Body.Read(ref r, 2, static (ref MessagePackReader b) => new ReplicaDeltaAck(ReadString(ref b), b.ReadInt64())))
        .Add<ReplicaRelease>("replication.release.v1",
            (ref MessagePackWriter w, ReplicaRelease m) => { w.WriteArrayHeader(1); w.Write(m.EntityId); },
            (ref MessagePackReader r) => Body.Read(ref r, 1, static (ref MessagePackReader b) => new ReplicaRelease(ReadString(ref b))))
        .Add<NoReplica>("replication.no-replica.v1",
            (ref MessagePackWriter w, NoReplica m) => { w.WriteArrayHeader(1); w.Write(m.EntityId); },
            (ref MessagePackReader r) => Body.Read(ref r, 1, static (ref MessagePackReader b) => new NoReplica(ReadString(ref b))))
        .Add<ReconcileWithOwner>("replication.reconcile-with-owner.v1",
            (ref MessagePackWriter w, ReconcileWithOwner m) =>
            {
                w.WriteArrayHeader(3);
                w.Write(m.EntityId);
                WriteActorRef(ref w, m.Owner);
                w.Write(m.CreateIfMissing);
            },
            (ref MessagePackReader r) =>
            {
                var n = r.ReadArrayHeader();
                var m = new ReconcileWithOwner(ReadString(ref r), ReadActorRef(ref r, system), r.ReadBoolean());
                Body.Skip(ref r, n, 3);
                return m;
            })
        .Add<ReconcileFinished>("replication.reconcile-finished.v1",
            (ref MessagePackWriter w, ReconcileFinished m) => { w.WriteArrayHeader(4); w.Write(m.EntityId); w.Write(m.Succeeded); w.Write(m.RecordsReceived); w.Write(m.RecordsSent); },
            (ref MessagePackReader r) => Body.Read(ref r, 4, static (ref MessagePackReader b) => new ReconcileFinished(ReadString(ref b), b.ReadBoolean(), b.ReadInt32(), b.ReadInt32())))
        .Add<ReconcileRequest>("replication.reconcile-request.v1",
            (ref MessagePackWriter w, ReconcileRequest m) => { w.WriteArrayHeader(3); w.Write(m.CorrelationId); w.Write(m.Root); WriteHashes(ref w, m.Hashes); },
            (ref MessagePackReader r) => Body.Read(ref r, 3, static (ref MessagePackReader b) => new ReconcileRequest(b.ReadInt64(), b.ReadUInt32(), ReadHashes(ref b))))
        .Add<ReconcileBuckets>("replication.reconcile-buckets.v1",
            (ref MessagePackWriter w, ReconcileBuckets m) => { w.WriteArrayHeader(3); w.Write(m.CorrelationId); WriteStrings(ref w, m.Differing); WriteHashes(ref w, m.OwnerHashes); },
            (ref MessagePackReader r) => Body.Read(ref r, 3, static (ref MessagePackReader b) => new ReconcileBuckets(b.ReadInt64(), ReadStrings(ref b), ReadHashes(ref b))))
        .Add<ReconcileDescend>("replication.reconcile-descend.v1",
            (ref MessagePackWriter w, ReconcileDescend m) => { w.WriteArrayHeader(3); w.Write(m.CorrelationId); WriteStrings(ref w, m.Parents); WriteHashes(ref w, m.Hashes); },
            (ref MessagePackReader r) => Body.Read(ref r, 3, static (ref MessagePackReader b) => new ReconcileDescend(b.ReadInt64(), ReadStrings(ref b), ReadHashes(ref b))))
        .Add<ReconcileDigests>("replication.reconcile-digests.v1",
            (ref MessagePackWriter w, ReconcileDigests m) => { w.WriteArrayHeader(3); w.Write(m.CorrelationId); WriteStrings(ref w, m.Buckets); WriteHashes(ref w, m.Digests); },
            (ref MessagePackReader r) => Body.Read(ref r, 3, static (ref MessagePackReader b) => new ReconcileDigests(b.ReadInt64(), ReadStrings(ref b), ReadHashes(ref b))))
        .Add<ReconcileStreams>("replication.reconcile-streams.v1",
            (ref MessagePackWriter w, ReconcileStreams m) =>
            {
                w.WriteArrayHeader(4);
                w.Write(m.CorrelationId);
                WriteNested(ref w, system, m.FromOwner);
                WriteNested(ref w, system, m.ToOwner);
                WriteStrings(ref w, m.WantedKeys);
            },
            (ref MessagePackReader r) =>
            {
                var n = r.ReadArrayHeader();
                var m = new ReconcileStreams(r.ReadInt64(), (ISourceRef<IPartitionEvent>)ReadNested(ref r, system), (ISinkRef<IPartitionEvent>)ReadNested(ref r, system), ReadStrings(ref r));
                Body.Skip(ref r, n, 4);
                return m;
            })
        .Add<GetReplicaRoots>("replication.get-roots.v1",
            (ref MessagePackWriter w, GetReplicaRoots _) => w.WriteArrayHeader(0),
            (ref MessagePackReader r) => Body.Read(ref r, 0, static (ref MessagePackReader _) => GetReplicaRoots.Instance))
        .Add<ReplicaRoots>("replication.roots.v1",
            (ref MessagePackWriter w, ReplicaRoots m) => { w.WriteArrayHeader(1); WriteHashes(ref w, m.Roots); },
            (ref MessagePackReader r) => Body.Read(ref r, 1, static (ref MessagePackReader b) => new ReplicaRoots(ReadHashes(ref b))))
        .Build();

    private static void WriteEvent(ref MessagePackWriter w, IPartitionEvent @event)
    {
        w.WriteArrayHeader(2);
        MessageEnvelope.Write(ref w, MapSerializer.Manifests, @event);
    }

    private static IPartitionEvent ReadEvent(ref MessagePackReader r) =>
        Body.Read(ref r, 2, static (ref MessagePackReader b) => MessageEnvelope.Read<IPartitionEvent>(ref b, MapSerializer.Manifests, "a partition event"));

    private static void WriteNested(ref MessagePackWriter w, ExtendedActorSystem system, object value)
    {
        var serializer = system.Serialization.FindSerializerFor(value);
        w.WriteArrayHeader(3);
        w.Write(serializer.Identifier);
        w.Write(Akka.Serialization.Serialization.ManifestFor(serializer, value));
        w.Write(serializer.ToBinary(value));
    }

    private static object ReadNested(ref MessagePackReader r, ExtendedActorSystem system)
    {
        var n = r.ReadArrayHeader();
        var id = r.ReadInt32();
        var manifest = r.ReadString() ?? "";
        var bytes = ReadBin(ref r, "Nested bytes");
        Body.Skip(ref r, n, 3);
        return system.Serialization.Deserialize(bytes, id, manifest);
    }

    private static void WriteHashes(ref MessagePackWriter w, IReadOnlyDictionary<string, uint> hashes)
    {
        w.WriteMapHeader(hashes.Count);
        foreach (var (key, hash) in hashes)
        {
            w.Write(key);
            w.Write(hash);
        }
    }

    private static Dictionary<string, uint> ReadHashes(ref MessagePackReader r)
    {
        var n = r.ReadMapHeader();
        var result = new Dictionary<string, uint>(n, StringComparer.Ordinal);
        for (var i = 0; i < n; i++) result[ReadString(ref r)] = r.ReadUInt32();
        return result;
    }
}
