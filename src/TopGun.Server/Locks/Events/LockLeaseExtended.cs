namespace TopGun.Server.Locks;

/// <summary>The holder asked again: its lease now ends at <see cref="ExpiresAtMs"/>, same token.</summary>
internal sealed record LockLeaseExtended(long ExpiresAtMs) : ILockEvent;
