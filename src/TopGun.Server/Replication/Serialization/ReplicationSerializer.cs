using Akka.Actor;
using Akka.Streams;
using MessagePack;
using TopGun.Server.Maps;
using TopGun.Server.Maps.Serialization;
using TopGun.Server.Serialization;

namespace TopGun.Server.Replication.Serialization;

/// <summary>
/// Replication protocol between owners and replicas (node to node only, never persisted). Identifier 4713.
/// Deltas embed a partition event in its journal format (<see cref="MapSerializer"/> manifest + bytes);
/// actor refs travel as their serialized paths and StreamRefs through Akka.Streams' own serializer.
/// </summary>
public sealed class ReplicationSerializer : TopGunMessageSerializer
{
    public const int SerializerId = 4713;

    public ReplicationSerializer(ExtendedActorSystem system) : base(system, Build(system)) { }

    public override int Identifier => SerializerId;

    private static ManifestRegistry Build(ExtendedActorSystem system) => ManifestRegistry.Create()
        .Add<ReplicaDelta>("replication.delta.v1",
            (ref MessagePackWriter w, ReplicaDelta m) => { w.WriteArrayHeader(3); w.Write(m.EntityId); w.Write(m.Seq); WriteEvent(ref w, m.Event); },
            (ref MessagePackReader r) => { var n = r.ReadArrayHeader(); var m = new ReplicaDelta(Str(ref r), r.ReadInt64(), ReadEvent(ref r)); Skip(ref r, n, 3); return m; })
        .Add<ReplicaDeltaAck>("replication.delta-ack.v1",
            (ref MessagePackWriter w, ReplicaDeltaAck m) => { w.WriteArrayHeader(2); w.Write(m.EntityId); w.Write(m.Seq); },
            (ref MessagePackReader r) => { var n = r.ReadArrayHeader(); var m = new ReplicaDeltaAck(Str(ref r), r.ReadInt64()); Skip(ref r, n, 2); return m; })
        .Add<ReplicaRelease>("replication.release.v1",
            (ref MessagePackWriter w, ReplicaRelease m) => { w.WriteArrayHeader(1); w.Write(m.EntityId); },
            (ref MessagePackReader r) => { var n = r.ReadArrayHeader(); var m = new ReplicaRelease(Str(ref r)); Skip(ref r, n, 1); return m; })
        .Add<NoReplica>("replication.no-replica.v1",
            (ref MessagePackWriter w, NoReplica m) => { w.WriteArrayHeader(1); w.Write(m.EntityId); },
            (ref MessagePackReader r) => { var n = r.ReadArrayHeader(); var m = new NoReplica(Str(ref r)); Skip(ref r, n, 1); return m; })
        .Add<ReconcileWithOwner>("replication.reconcile-with-owner.v1",
            (ref MessagePackWriter w, ReconcileWithOwner m) =>
            {
                w.WriteArrayHeader(3);
                w.Write(m.EntityId);
                w.Write(Akka.Serialization.Serialization.SerializedActorPath(m.Owner));
                w.Write(m.CreateIfMissing);
            },
            (ref MessagePackReader r) =>
            {
                var n = r.ReadArrayHeader();
                var m = new ReconcileWithOwner(Str(ref r), system.Provider.ResolveActorRef(Str(ref r)), r.ReadBoolean());
                Skip(ref r, n, 3);
                return m;
            })
        .Add<ReconcileFinished>("replication.reconcile-finished.v1",
            (ref MessagePackWriter w, ReconcileFinished m) => { w.WriteArrayHeader(4); w.Write(m.EntityId); w.Write(m.Succeeded); w.Write(m.RecordsReceived); w.Write(m.RecordsSent); },
            (ref MessagePackReader r) => { var n = r.ReadArrayHeader(); var m = new ReconcileFinished(Str(ref r), r.ReadBoolean(), r.ReadInt32(), r.ReadInt32()); Skip(ref r, n, 4); return m; })
        .Add<ReconcileRequest>("replication.reconcile-request.v1",
            (ref MessagePackWriter w, ReconcileRequest m) => { w.WriteArrayHeader(3); w.Write(m.CorrelationId); w.Write(m.Root); WriteHashes(ref w, m.Hashes); },
            (ref MessagePackReader r) => { var n = r.ReadArrayHeader(); var m = new ReconcileRequest(r.ReadInt64(), r.ReadUInt32(), ReadHashes(ref r)); Skip(ref r, n, 3); return m; })
        .Add<ReconcileBuckets>("replication.reconcile-buckets.v1",
            (ref MessagePackWriter w, ReconcileBuckets m) => { w.WriteArrayHeader(3); w.Write(m.CorrelationId); WriteStrings(ref w, m.Differing); WriteHashes(ref w, m.OwnerHashes); },
            (ref MessagePackReader r) => { var n = r.ReadArrayHeader(); var m = new ReconcileBuckets(r.ReadInt64(), ReadStrings(ref r), ReadHashes(ref r)); Skip(ref r, n, 3); return m; })
        .Add<ReconcileDescend>("replication.reconcile-descend.v1",
            (ref MessagePackWriter w, ReconcileDescend m) => { w.WriteArrayHeader(3); w.Write(m.CorrelationId); WriteStrings(ref w, m.Parents); WriteHashes(ref w, m.Hashes); },
            (ref MessagePackReader r) => { var n = r.ReadArrayHeader(); var m = new ReconcileDescend(r.ReadInt64(), ReadStrings(ref r), ReadHashes(ref r)); Skip(ref r, n, 3); return m; })
        .Add<ReconcileDigests>("replication.reconcile-digests.v1",
            (ref MessagePackWriter w, ReconcileDigests m) => { w.WriteArrayHeader(3); w.Write(m.CorrelationId); WriteStrings(ref w, m.Buckets); WriteHashes(ref w, m.Digests); },
            (ref MessagePackReader r) => { var n = r.ReadArrayHeader(); var m = new ReconcileDigests(r.ReadInt64(), ReadStrings(ref r), ReadHashes(ref r)); Skip(ref r, n, 3); return m; })
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
                Skip(ref r, n, 4);
                return m;
            })
        .Add<GetReplicaRoots>("replication.get-roots.v1",
            (ref MessagePackWriter w, GetReplicaRoots _) => w.WriteArrayHeader(0),
            (ref MessagePackReader r) => { var n = r.ReadArrayHeader(); Skip(ref r, n, 0); return GetReplicaRoots.Instance; })
        .Add<ReplicaRoots>("replication.roots.v1",
            (ref MessagePackWriter w, ReplicaRoots m) => { w.WriteArrayHeader(1); WriteHashes(ref w, m.Roots); },
            (ref MessagePackReader r) => { var n = r.ReadArrayHeader(); var m = new ReplicaRoots(ReadHashes(ref r)); Skip(ref r, n, 1); return m; })
        .Build();

    private static string Str(ref MessagePackReader r) => r.ReadString() ?? throw new MessagePackSerializationException("A string is missing.");

    private static void Skip(ref MessagePackReader r, int count, int known)
    {
        for (var i = known; i < count; i++) r.Skip();
    }

    private static void WriteEvent(ref MessagePackWriter w, IPartitionEvent @event)
    {
        w.WriteArrayHeader(2);
        w.Write(MapSerializer.Manifests.ManifestFor(@event));
        w.Write(MapSerializer.Manifests.Write(@event));
    }

    private static IPartitionEvent ReadEvent(ref MessagePackReader r)
    {
        var n = r.ReadArrayHeader();
        var manifest = Str(ref r);
        var bytes = r.ReadBytes() ?? throw new MessagePackSerializationException("Event bytes are missing.");
        Skip(ref r, n, 2);
        return (IPartitionEvent)MapSerializer.Manifests.Read(System.Buffers.BuffersExtensions.ToArray(bytes), manifest);
    }

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
        var bytes = r.ReadBytes() ?? throw new MessagePackSerializationException("Nested bytes are missing.");
        Skip(ref r, n, 3);
        return system.Serialization.Deserialize(System.Buffers.BuffersExtensions.ToArray(bytes), id, manifest);
    }

    private static void WriteStrings(ref MessagePackWriter w, IReadOnlyList<string> items)
    {
        w.WriteArrayHeader(items.Count);
        foreach (var item in items) w.Write(item);
    }

    private static string[] ReadStrings(ref MessagePackReader r)
    {
        var n = r.ReadArrayHeader();
        var items = new string[n];
        for (var i = 0; i < n; i++) items[i] = Str(ref r);
        return items;
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
        for (var i = 0; i < n; i++) result[Str(ref r)] = r.ReadUInt32();
        return result;
    }
}
