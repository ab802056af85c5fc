using TopGun.Core.Clock;
using TopGun.Core.Crdt;

namespace TopGun.Server.Maps;

/// <summary>
/// The LWW records one command (or one TTL sweep) actually changed. <see cref="ServerTime"/> is the node
/// clock when it happened, so recovery can put the clock back at least that far.
/// </summary>
internal sealed record LwwRecordsMerged(IReadOnlyList<KeyValuePair<string, LwwRecord>> Records, Timestamp ServerTime) : IPartitionEvent;
