namespace TopGun.Server.Locks;

/// <summary>The lease with <see cref="Token"/> ended: released, expired, or its holder went away.</summary>
internal sealed record LockLeaseEnded(long Token) : ILockEvent;
