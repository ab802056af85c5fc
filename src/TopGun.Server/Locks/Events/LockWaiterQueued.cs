namespace TopGun.Server.Locks;

/// <summary>A request joined the end of the wait queue.</summary>
public sealed record LockWaiterQueued(LockWaiter Waiter) : ILockEvent;
