using TopGun.Server.Serialization;

namespace TopGun.Server.Locks;

/// <summary>What a lock entity tells a connection: <see cref="LockAcquired"/>, <see cref="LockAcquireRefused"/> or <see cref="LockReleaseResult"/>.</summary>
internal interface ILockReply : ILockSerializable
{
    string Name { get; }
}
