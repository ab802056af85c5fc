using TopGun.Core.Clock;

namespace TopGun.Server.Maps;

/// <summary>
/// The OR records added or replaced and the tombstones added by one command, grouped by key (a
/// tombstone sits under the key whose record it removed, else the key it arrived with).
/// </summary>
internal sealed record OrChangesMerged(IReadOnlyList<OrEntry> Entries, Timestamp ServerTime) : IPartitionEvent;
