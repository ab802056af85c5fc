namespace TopGun.Server.Locks;

/// <summary>The request was neither granted nor queued, e.g. because the wait queue is full.</summary>
internal sealed record LockAcquireRefused(string Name, string RequestId, string Reason) : ILockReply;
