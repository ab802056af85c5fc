using Akka.Actor;

namespace TopGun.Server.Locks;

/// <summary>A queued LOCK_REQUEST: granted in FIFO order, with the lease length it asked for.</summary>
internal sealed record LockWaiter(IActorRef Client, string RequestId, long TtlMs);
