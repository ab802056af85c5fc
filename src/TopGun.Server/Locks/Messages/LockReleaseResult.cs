namespace TopGun.Server.Locks;

/// <summary>Answer to <see cref="ReleaseLock"/>: false when the client did not hold the lock with that fencing token.</summary>
internal sealed record LockReleaseResult(string Name, long CorrelationId, bool Success) : ILockReply;
