using Akka.Actor;
using MessagePack;
using TopGun.Server.Serialization;
using static TopGun.Server.Serialization.Fields;

namespace TopGun.Server.Locks.Serialization;

/// <summary>
/// Locks module: lock events and snapshots (journal rows) and the lock protocol between connections and lock
/// entities (node to node). Identifier 4715, stored next to every lock event: never change it. Connection actors
/// travel as their serialized paths (with uid), so a lease recovered on another node still names, and watches,
/// the very connection it was granted to. A format change adds a ".v2" manifest and keeps the ".v1" reader.
/// </summary>
internal sealed class LockSerializer : TopGunMessageSerializer
{
    public const int SerializerId = 4715;

    public LockSerializer(ExtendedActorSystem system) : base(system, Build(system)) { }

    public override int Identifier => SerializerId;

    private static ManifestRegistry Build(ExtendedActorSystem system) => ManifestRegistry.Create()
        // persisted
        .Add<LockWaiterQueued>("lock.waiter-queued.v1",
            (ref MessagePackWriter w, LockWaiterQueued m) => { w.WriteArrayHeader(1); WriteWaiter(ref w, m.Waiter); },
            (ref MessagePackReader r) => Body.Read(ref r, 1, (ref MessagePackReader b) => new LockWaiterQueued(ReadWaiter(ref b, system))))
        .Add<LockLeaseGranted>("lock.lease-granted.v1",
            (ref MessagePackWriter w, LockLeaseGranted m) => { w.WriteArrayHeader(1); WriteLease(ref w, m.Lease); },
            (ref MessagePackReader r) => Body.Read(ref r, 1, (ref MessagePackReader b) => new LockLeaseGranted(ReadLease(ref b, system))))
        .Add<LockLeaseExtended>("lock.lease-extended.v1",
            (ref MessagePackWriter w, LockLeaseExtended m) => { w.WriteArrayHeader(1); w.Write(m.ExpiresAtMs); },
            (ref MessagePackReader r) => Body.Read(ref r, 1, (ref MessagePackReader b) => new LockLeaseExtended(b.ReadInt64())))
        .Add<LockLeaseEnded>("lock.lease-ended.v1",
            (ref MessagePackWriter w, LockLeaseEnded m) => { w.WriteArrayHeader(1); w.Write(m.Token); },
            (ref MessagePackReader r) => Body.Read(ref r, 1, (ref MessagePackReader b) => new LockLeaseEnded(b.ReadInt64())))
        .Add<LockClientLeft>("lock.client-left.v1",
            (ref MessagePackWriter w, LockClientLeft m) => { w.WriteArrayHeader(1); WriteActorRef(ref w, m.Client); },
            (ref MessagePackReader r) => Body.Read(ref r, 1, (ref MessagePackReader b) => new LockClientLeft(ReadActorRef(ref b, system))))
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
                Body.Skip(ref r, n, 3);
                return new LockSnapshot(token, lease, waiters);
            })
        // node to node
        .Add<AcquireLock>("lock.acquire.v1",
            (ref MessagePackWriter w, AcquireLock m) => { w.WriteArrayHeader(4); w.Write(m.Name); w.Write(m.RequestId); w.Write(m.TtlMs); WriteActorRef(ref w, m.Client); },
            (ref MessagePackReader r) => Body.Read(ref r, 4, (ref MessagePackReader b) => new AcquireLock(ReadString(ref b), ReadString(ref b), b.ReadInt64(), ReadActorRef(ref b, system))))
        .Add<ReleaseLock>("lock.release.v1",
            (ref MessagePackWriter w, ReleaseLock m) => { w.WriteArrayHeader(4); w.Write(m.Name); w.Write(m.FencingToken); w.Write(m.CorrelationId); WriteActorRef(ref w, m.Client); },
            (ref MessagePackReader r) => Body.Read(ref r, 4, (ref MessagePackReader b) => new ReleaseLock(ReadString(ref b), b.ReadInt64(), b.ReadInt64(), ReadActorRef(ref b, system))))
        .Add<LockAcquired>("lock.acquired.v1",
            (ref MessagePackWriter w, LockAcquired m) => { w.WriteArrayHeader(3); w.Write(m.Name); w.Write(m.RequestId); w.Write(m.FencingToken); },
            (ref MessagePackReader r) => Body.Read(ref r, 3, (ref MessagePackReader b) => new LockAcquired(ReadString(ref b), ReadString(ref b), b.ReadInt64())))
        .Add<LockAcquireRefused>("lock.acquire-refused.v1",
            (ref MessagePackWriter w, LockAcquireRefused m) => { w.WriteArrayHeader(3); w.Write(m.Name); w.Write(m.RequestId); w.Write(m.Reason); },
            (ref MessagePackReader r) => Body.Read(ref r, 3, (ref MessagePackReader b) => new LockAcquireRefused(ReadString(ref b), ReadString(ref b), ReadString(ref b))))
        .Add<LockReleaseResult>("lock.release-result.v1",
            (ref MessagePackWriter w, LockReleaseResult m) => { w.WriteArrayHeader(3); w.Write(m.Name); w.Write(m.CorrelationId); w.Write(m.Success); },
            (ref MessagePackReader r) => Body.Read(ref r, 3, (ref MessagePackReader b) => new LockReleaseResult(ReadString(ref b), b.ReadInt64(), b.ReadBoolean())))
        .Build();

    private static void WriteLease(ref MessagePackWriter w, LockLease lease)
    {
        w.WriteArrayHeader(4);
        WriteActorRef(ref w, lease.Client);
        w.Write(lease.RequestId);
        w.Write(lease.Token);
        w.Write(lease.ExpiresAtMs);
    }

    private static LockLease ReadLease(ref MessagePackReader r, ExtendedActorSystem system) =>
        Body.Read(ref r, 4, (ref MessagePackReader b) => new LockLease(ReadActorRef(ref b, system), ReadString(ref b), b.ReadInt64(), b.ReadInt64()));

    private static void WriteWaiter(ref MessagePackWriter w, LockWaiter waiter)
    {
        w.WriteArrayHeader(3);
        WriteActorRef(ref w, waiter.Client);
        w.Write(waiter.RequestId);
        w.Write(waiter.TtlMs);
    }

    private static LockWaiter ReadWaiter(ref MessagePackReader r, ExtendedActorSystem system) =>
        Body.Read(ref r, 3, (ref MessagePackReader b) => new LockWaiter(ReadActorRef(ref b, system), ReadString(ref b), b.ReadInt64()));
}
