using TopGun.Core.Clock;

namespace TopGun.Server.Maps;

/// <summary>Tombstone GC of an LWW partition: every tombstone strictly older than <see cref="OlderThan"/> was dropped.</summary>
internal sealed record LwwTombstonesPruned(Timestamp OlderThan) : IPartitionEvent;
