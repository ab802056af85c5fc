namespace TopGun.Server.Locks;

/// <summary>A request joined the end of the wait queue.</summary>
internal sealed record LockWaiterQueued(LockWaiter Waiter) : ILockEvent;
