using TopGun.Core.Clock;

namespace TopGun.Server.Maps;

/// <summary>Tombstone GC of an OR partition: every tombstoned tag strictly older than <see cref="OlderThan"/> was forgotten.</summary>
internal sealed record OrTombstonesPruned(Timestamp OlderThan) : IPartitionEvent;
