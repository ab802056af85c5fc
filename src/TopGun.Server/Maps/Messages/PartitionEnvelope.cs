using TopGun.Server.Serialization;
namespace TopGun.Server.Maps;

/// <summary>Routes a command through the "map" shard region to the entity <c>{MapName}|{Partition}</c>.</summary>
internal sealed record PartitionEnvelope(string MapName, string Partition, IPartitionCommand Command) : IMapSerializable
{
    public string EntityId => PartitionKey.EntityId(MapName, Partition);
}
