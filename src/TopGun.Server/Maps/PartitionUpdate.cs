namespace TopGun.Server.Maps;

/// <summary>
/// What one command did to a <see cref="PartitionState"/>: the event to persist (null when nothing
/// changed), the changes to publish once it is durable, and per-op outcomes / counts for the reply.
/// </summary>
internal sealed record PartitionUpdate(
    IPartitionEvent? Event,
    IReadOnlyList<MapChange> Changes,
    IReadOnlyList<OpOutcome> Outcomes,
    int NewRecords = 0,
    int NewTombstones = 0)
{
    public static PartitionUpdate None { get; } = new(null, [], []);
}
