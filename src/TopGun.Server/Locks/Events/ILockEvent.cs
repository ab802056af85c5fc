using TopGun.Server.Serialization;

namespace TopGun.Server.Locks;

/// <summary>A persisted change of a <see cref="LeaseLock"/>; <see cref="LockState.Apply"/> folds it into the state.</summary>
internal interface ILockEvent : ILockSerializable;
