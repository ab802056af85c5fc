using TopGun.Server.Serialization;

namespace TopGun.Server.Locks;

/// <summary>The whole state of a lock, so recovery does not replay every grant since the lock was first used.</summary>
internal sealed record LockSnapshot(long Token, LockLease? Lease, IReadOnlyList<LockWaiter> Waiters) : ILockSerializable
{
    public bool Equals(LockSnapshot? other) =>
        other is not null && Token == other.Token && Equals(Lease, other.Lease) && Waiters.SequenceEqual(other.Waiters);

    public override int GetHashCode() => HashCode.Combine(Token, Lease, Waiters.Count);
}
