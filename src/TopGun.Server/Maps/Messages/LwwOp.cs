using TopGun.Core.Crdt;

namespace TopGun.Server.Maps;

/// <summary>One LWW write (a tombstone record is a remove); <see cref="OpId"/> is echoed in the outcome.</summary>
internal sealed record LwwOp(string? OpId, string Key, LwwRecord Record);
