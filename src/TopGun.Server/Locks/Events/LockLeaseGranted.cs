namespace TopGun.Server.Locks;

/// <summary>
/// The lock went to <see cref="LockLease.Client"/> with a new fencing token (the token high-water mark);
/// persisted before the grant is sent, so no token is ever handed out twice. Drops the grantee's queue entry.
/// </summary>
internal sealed record LockLeaseGranted(LockLease Lease) : ILockEvent;
