using Akka.Actor;

namespace TopGun.Server.Locks;

/// <summary>
/// The current holder of a lock: the connection actor it was granted to (a remote ref when the client is
/// on another node), the request that was granted, its fencing token and the wall-clock end of the lease.
/// </summary>
internal sealed record LockLease(IActorRef Client, string RequestId, long Token, long ExpiresAtMs)
{
    public bool IsExpired(long nowMs) => ExpiresAtMs <= nowMs;
}
