using TopGun.Core.Crdt;

namespace TopGun.Server.Maps;

/// <summary>
/// One changed key: the new LWW record (tombstones and TTL expiries included), or an OR add / removed tag.
/// Exactly one of <see cref="Record"/>, <see cref="OrAdded"/>, <see cref="OrRemovedTag"/> is set.
/// </summary>
/// <param name="OrRecords">
/// On the last OR change of a key in its <see cref="MapChanged"/>: every record the key holds after the command
/// (expired ones included, as the partition holds them), so a live query computes the key's value without asking
/// the partition. Tombstones are left out: a value is made of records alone, and a key's tombstones grow until
/// they are collected. Null on the key's earlier changes, on LWW changes, and on every change written by a node
/// of an older build (which a receiver answers by reading the key back from its partition).
/// </param>
internal sealed record MapChange(string Key, LwwRecord? Record, OrMapRecord? OrAdded, string? OrRemovedTag, IReadOnlyList<OrMapRecord>? OrRecords = null);
