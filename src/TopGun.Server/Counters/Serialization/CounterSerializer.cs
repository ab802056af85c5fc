using Akka.Actor;
using MessagePack;
using TopGun.Core.Crdt;
using TopGun.Server.Serialization;
using static TopGun.Server.Serialization.Fields;

namespace TopGun.Server.Counters.Serialization;

/// <summary>
/// Counters module: the counter event and snapshot (journal rows) and the entity protocol (crosses nodes).
/// Identifier 4716, stored next to every counter event: never change it. A format change adds a ".v2"
/// manifest and keeps the ".v1" reader as legacy. Readers skip fields a newer writer appended.
/// </summary>
internal sealed class CounterSerializer : TopGunMessageSerializer
{
    public const int SerializerId = 4716;

    public static readonly ManifestRegistry Manifests = ManifestRegistry.Create()
        // persisted
        .Add<CounterMerged>("counter.merged.v1", (ref MessagePackWriter w, CounterMerged m) => WriteStateOnly(ref w, m.Grown), (ref MessagePackReader r) => new CounterMerged(ReadStateOnly(ref r)))
        .Add<CounterSnapshot>("counter.snapshot.v1", (ref MessagePackWriter w, CounterSnapshot m) => WriteStateOnly(ref w, m.State), (ref MessagePackReader r) => new CounterSnapshot(ReadStateOnly(ref r)))
        // node to node
        .Add<CounterEnvelope>("counter.envelope.v1", WriteEnvelope, ReadEnvelope)
        .Add<GetCounter>("counter.get.v1", WriteGet, ReadGet)
        .Add<SyncCounter>("counter.sync.v1", WriteSync, ReadSync)
        .Add<CounterRead>("counter.read.v1", (ref MessagePackWriter w, CounterRead m) => WriteReply(ref w, m.Name, m.CorrelationId, m.State), (ref MessagePackReader r) => ReadReply(ref r, (n, id, s) => new CounterRead(n, id, s)))
        .Add<CounterSynced>("counter.synced.v1", (ref MessagePackWriter w, CounterSynced m) => WriteReply(ref w, m.Name, m.CorrelationId, m.State), (ref MessagePackReader r) => ReadReply(ref r, (n, id, s) => new CounterSynced(n, id, s)))
        .Add<CounterChanged>("counter.changed.v1", (ref MessagePackWriter w, CounterChanged m) => WriteReply(ref w, m.Name, 0, m.State), (ref MessagePackReader r) => ReadReply(ref r, (n, _, s) => new CounterChanged(n, s)))
        .Add<CounterRejected>("counter.rejected.v1", WriteRejected, ReadRejected)
        .Build();

    public CounterSerializer(ExtendedActorSystem system) : base(system, Manifests) { }

    public override int Identifier => SerializerId;

    private static void WriteStateOnly(ref MessagePackWriter w, PnCounterState state)
    {
        w.WriteArrayHeader(1);
        WriteState(ref w, state);
    }

    private static PnCounterState ReadStateOnly(ref MessagePackReader r) =>
        Body.Read(ref r, 1, static (ref MessagePackReader b) => ReadState(ref b));

    private static void WriteEnvelope(ref MessagePackWriter w, CounterEnvelope m)
    {
        w.WriteArrayHeader(3);
        w.Write(m.Name);
        MessageEnvelope.Write(ref w, Manifests, m.Command);
    }

    private static CounterEnvelope ReadEnvelope(ref MessagePackReader r) =>
        Body.Read(ref r, 3, static (ref MessagePackReader b) => new CounterEnvelope(ReadString(ref b), MessageEnvelope.Read<ICounterCommand>(ref b, Manifests, "a counter command")));

    private static void WriteGet(ref MessagePackWriter w, GetCounter m)
    {
        w.WriteArrayHeader(1);
        w.Write(m.CorrelationId);
    }

    private static GetCounter ReadGet(ref MessagePackReader r) =>
        Body.Read(ref r, 1, static (ref MessagePackReader b) => new GetCounter(b.ReadInt64()));

    private static void WriteSync(ref MessagePackWriter w, SyncCounter m)
    {
        w.WriteArrayHeader(2);
        w.Write(m.CorrelationId);
        WriteState(ref w, m.State);
    }

    private static SyncCounter ReadSync(ref MessagePackReader r) =>
        Body.Read(ref r, 2, static (ref MessagePackReader b) => new SyncCounter(b.ReadInt64(), ReadState(ref b)));

    private static void WriteReply(ref MessagePackWriter w, string name, long correlationId, PnCounterState state)
    {
        w.WriteArrayHeader(3);
        w.Write(name);
        w.Write(correlationId);
        WriteState(ref w, state);
    }

    private static T ReadReply<T>(ref MessagePackReader r, Func<string, long, PnCounterState, T> create)
    {
        var n = r.ReadArrayHeader();
        var m = create(ReadString(ref r), r.ReadInt64(), ReadState(ref r));
        Body.Skip(ref r, n, 3);
        return m;
    }

    private static void WriteRejected(ref MessagePackWriter w, CounterRejected m)
    {
        w.WriteArrayHeader(3);
        w.Write(m.Name);
        w.Write(m.CorrelationId);
        w.Write(m.Reason);
    }

    private static CounterRejected ReadRejected(ref MessagePackReader r) =>
        Body.Read(ref r, 3, static (ref MessagePackReader b) => new CounterRejected(ReadString(ref b), b.ReadInt64(), ReadString(ref b)));

    /// <summary><c>[p, n]</c>, each a map of node id to count as float64 (counts may exceed 2^31, like every JS number).</summary>
    private static void WriteState(ref MessagePackWriter w, PnCounterState state)
    {
        w.WriteArrayHeader(2);
        WriteSide(ref w, state.P);
        WriteSide(ref w, state.N);
    }

    private static void WriteSide(ref MessagePackWriter w, IReadOnlyDictionary<string, double> side)
    {
        w.WriteMapHeader(side.Count);
        foreach (var (nodeId, count) in side)
        {
            w.Write(nodeId);
            w.Write(count);
        }
    }

    private static PnCounterState ReadState(ref MessagePackReader r) =>
        Body.Read(ref r, 2, static (ref MessagePackReader b) => new PnCounterState(ReadSide(ref b), ReadSide(ref b)));

    private static KeyValuePair<string, double>[] ReadSide(ref MessagePackReader r)
    {
        var count = r.ReadMapHeader();
        var entries = new KeyValuePair<string, double>[count];
        for (var i = 0; i < count; i++) entries[i] = new(ReadString(ref r), r.ReadDouble());
        return entries;
    }
}
