using TopGun.Core.Clock;
using TopGun.Server.Serialization;

namespace TopGun.Server.Maps;

/// <summary>
/// Published on the DistributedPubSub topic <c>map:{MapName}</c> after the change is applied and durable.
/// <see cref="OriginId"/> is the writer's client id ("" for server-made changes such as TTL expiry).
/// One command of one partition: every change is of a key of the same partition.
/// </summary>
/// <param name="SequenceNr">
/// The journal sequence number of the partition event the changes come from (the partition's
/// <c>map|{map}|{partition}</c> stream), comparable with <see cref="PartitionQueryResult.SequenceNr"/> of the
/// same partition. Null from a node of an older build.
/// </param>
internal sealed record MapChanged(string MapName, string OriginId, IReadOnlyList<MapChange> Changes, Timestamp ServerTime, long? SequenceNr = null) : IMapSerializable
{
    public static string Topic(string mapName) => "map:" + mapName;
}
