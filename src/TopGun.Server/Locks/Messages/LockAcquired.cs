namespace TopGun.Server.Locks;

/// <summary>The request holds the lock (granted, extended, or granted again to a re-sent request) with this fencing token.</summary>
internal sealed record LockAcquired(string Name, string RequestId, long FencingToken) : ILockReply;
