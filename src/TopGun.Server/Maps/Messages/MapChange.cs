using TopGun.Core.Crdt;

namespace TopGun.Server.Maps;

/// <summary>
/// One changed key: the new LWW record (tombstones and TTL expiries included), or an OR add / removed tag.
/// Exactly one of <see cref="Record"/>, <see cref="OrAdded"/>, <see cref="OrRemovedTag"/> is set.
/// </summary>
internal sealed record MapChange(string Key, LwwRecord? Record, OrMapRecord? OrAdded, string? OrRemovedTag);
