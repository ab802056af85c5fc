using TopGun.Core.Crdt;

namespace TopGun.Server.Maps;

/// <summary>An OR-map key's records and the tombstoned tags relevant to it (ORMAP_PUSH_DIFF / ORMAP_SYNC_RESP_LEAF entry).</summary>
internal sealed record OrEntry(string Key, IReadOnlyList<OrMapRecord> Records, IReadOnlyList<string> Tombstones);
