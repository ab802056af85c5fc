using Akka.Actor;
using MessagePack;
using TopGun.Server.Serialization;

namespace TopGun.Server.Locks.Serialization;

/// <summary>
/// Locks module: lock events and snapshots (journal rows) and the lock protocol between connections and lock
/// entities (node to node). Identifier 4715, stored next to every lock event: never change it. Connection actors
/// travel as their serialized paths (with uid), so a lease recovered on another node still names, and watches,
/// the very connection it was granted to. A format change adds a ".v2" manifest and keeps the ".v1" reader.
/// </summary>
public sealed class LockSerializer : TopGunMessageSerializer
{
    public const int SerializerId = 4715;

    public LockSerializer(ExtendedActorSystem system) : base(system, Build(system)) { }

    public override int Identifier => SerializerId;

    private static ManifestRegistry Build(ExtendedActorSystem system) => ManifestRegistry.Create()
        // persisted
        .Add<LockWaiterQueued>("lock.waiter-queued.v1",
            (ref MessagePackWriter w, LockWaiterQueued m) => { w.WriteArrayHeader(1); WriteWaiter(ref w, m.Waiter); },
            (ref MessagePackReader r) => { var n = r.ReadArrayHeader(); var m = new LockWaiterQueued(ReadWaiter(ref r, system)); Skip(ref r, n, 1); return m; })
        .Add<LockLeaseGranted>("lock.lease-granted.v1",
            (ref MessagePackWriter w, LockLeaseGranted m) => { w.WriteArrayHeader(1); WriteLease(ref w, m.Lease); },
            (ref MessagePackReader r) => { var n = r.ReadArrayHeader(); var m = new LockLeaseGranted(ReadLease(ref r, system)); Skip(ref r, n, 1); return m; })
        .Add<LockLeaseExtended>("lock.lease-extended.v1",
            (ref MessagePackWriter w, LockLeaseExtended m) => { w.WriteArrayHeader(1); w.Write(m.ExpiresAtMs); },
            (ref MessagePackReader r) => { var n = r.ReadArrayHeader(); var m = new LockLeaseExtended(r.ReadInt64()); Skip(ref r, n, 1); return m; })
        .Add<LockLeaseEnded>("lock.lease-ended.v1",
            (ref MessagePackWriter w, LockLeaseEnded m) => { w.WriteArrayHeader(1); w.Write(m.Token); },
            (ref MessagePackReader r) => { var n = r.ReadArrayHeader(); var m = new LockLeaseEnded(r.ReadInt64()); Skip(ref r, n, 1); return m; })
        .Add<LockClientLeft>("lock.client-left.v1",
            (ref MessagePackWriter w, LockClientLeft m) => { w.WriteArrayHeader(1); WriteRef(ref w, m.Client); },
            (ref MessagePackReader r) => { var n = r.ReadArrayHeader(); var m = new LockClientLeft(ReadRef(ref r, system)); Skip(ref r, n, 1); return m; })
        .Add<LockSnapshot>("lock.snapshot.v1",
            (ref MessagePackWriter w, LockSnapshot m) =>
            {
                w.WriteArrayHeader(3);
                w.Write(m.Token);
                if (m.Lease is null) w.WriteNil();
                else WriteLease(ref w, m.Lease);
                w.WriteArrayHeader(m.Waiters.Count);
                foreach (var waiter in m.Waiters) WriteWaiter(ref w, waiter);
            },
            (ref MessagePackReader r) =>
            {
                var n = r.ReadArrayHeader();
                var token = r.ReadInt64();
                var lease = r.TryReadNil() ? null : ReadLease(ref r, system);
                var count = r.ReadArrayHeader();
                var waiters = new LockWaiter[count];
                for (var i = 0; i < count; i++) waiters[i] = ReadWaiter(ref r, system);
                Skip(ref r, n, 3);
                return new LockSnapshot(token, lease, waiters);
            })
        // node to node
        .Add<AcquireLock>("lock.acquire.v1",
            (ref MessagePackWriter w, AcquireLock m) => { w.WriteArrayHeader(4); w.Write(m.Name); w.Write(m.RequestId); w.Write(m.TtlMs); WriteRef(ref w, m.Client); },
            (ref MessagePackReader r) => { var n = r.ReadArrayHeader(); var m = new AcquireLock(Str(ref r), Str(ref r), r.ReadInt64(), ReadRef(ref r, system)); Skip(ref r, n, 4); return m; })
        .Add<ReleaseLock>("lock.release.v1",
            (ref MessagePackWriter w, ReleaseLock m) => { w.WriteArrayHeader(4); w.Write(m.Name); w.Write(m.FencingToken); w.Write(m.CorrelationId); WriteRef(ref w, m.Client); },
            (ref MessagePackReader r) => { var n = r.ReadArrayHeader(); var m = new ReleaseLock(Str(ref r), r.ReadInt64(), r.ReadInt64(), ReadRef(ref r, system)); Skip(ref r, n, 4); return m; })
        .Add<LockAcquired>("lock.acquired.v1",
            (ref MessagePackWriter w, LockAcquired m) => { w.WriteArrayHeader(3); w.Write(m.Name); w.Write(m.RequestId); w.Write(m.FencingToken); },
            (ref MessagePackReader r) => { var n = r.ReadArrayHeader(); var m = new LockAcquired(Str(ref r), Str(ref r), r.ReadInt64()); Skip(ref r, n, 3); return m; })
        .Add<LockAcquireRefused>("lock.acquire-refused.v1",
            (ref MessagePackWriter w, LockAcquireRefused m) => { w.WriteArrayHeader(3); w.Write(m.Name); w.Write(m.RequestId); w.Write(m.Reason); },
            (ref MessagePackReader r) => { var n = r.ReadArrayHeader(); var m = new LockAcquireRefused(Str(ref r), Str(ref r), Str(ref r)); Skip(ref r, n, 3); return m; })
        .Add<LockReleaseResult>("lock.release-result.v1",
            (ref MessagePackWriter w, LockReleaseResult m) => { w.WriteArrayHeader(3); w.Write(m.Name); w.Write(m.CorrelationId); w.Write(m.Success); },
            (ref MessagePackReader r) => { var n = r.ReadArrayHeader(); var m = new LockReleaseResult(Str(ref r), r.ReadInt64(), r.ReadBoolean()); Skip(ref r, n, 3); return m; })
        .Build();

    private static void WriteLease(ref MessagePackWriter w, LockLease lease)
    {
        w.WriteArrayHeader(4);
        WriteRef(ref w, lease.Client);
        w.Write(lease.RequestId);
        w.Write(lease.Token);
        w.Write(lease.ExpiresAtMs);
    }

    private static LockLease ReadLease(ref MessagePackReader r, ExtendedActorSystem system)
    {
        var n = r.ReadArrayHeader();
        var lease = new LockLease(ReadRef(ref r, system), Str(ref r), r.ReadInt64(), r.ReadInt64());
        Skip(ref r, n, 4);
        return lease;
    }

    private static void WriteWaiter(ref MessagePackWriter w, LockWaiter waiter)
    {
        w.WriteArrayHeader(3);
        WriteRef(ref w, waiter.Client);
        w.Write(waiter.RequestId);
        w.Write(waiter.TtlMs);
    }

    private static LockWaiter ReadWaiter(ref MessagePackReader r, ExtendedActorSystem system)
    {
        var n = r.ReadArrayHeader();
        var waiter = new LockWaiter(ReadRef(ref r, system), Str(ref r), r.ReadInt64());
        Skip(ref r, n, 3);
        return waiter;
    }

    private static void WriteRef(ref MessagePackWriter w, IActorRef actor) =>
        w.Write(Akka.Serialization.Serialization.SerializedActorPath(actor));

    private static IActorRef ReadRef(ref MessagePackReader r, ExtendedActorSystem system) =>
        system.Provider.ResolveActorRef(Str(ref r));

    private static string Str(ref MessagePackReader r) => r.ReadString() ?? throw new MessagePackSerializationException("A string is missing.");

    private static void Skip(ref MessagePackReader r, int count, int known)
    {
        for (var i = known; i < count; i++) r.Skip();
    }
}
