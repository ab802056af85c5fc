using TopGun.Core.Clock;
using TopGun.Server.Serialization;

namespace TopGun.Server.Maps;

/// <summary>
/// Published on the DistributedPubSub topic <c>map:{MapName}</c> after the change is applied and durable.
/// <see cref="OriginId"/> is the writer's client id ("" for server-made changes such as TTL expiry).
/// </summary>
internal sealed record MapChanged(string MapName, string OriginId, IReadOnlyList<MapChange> Changes, Timestamp ServerTime) : IMapSerializable
{
    public static string Topic(string mapName) => "map:" + mapName;
}
