using Akka.Actor;
using TopGun.Server.Modules;

namespace TopGun.Server.Maps;

/// <summary>
/// The node's shard regions for maps, available once <see cref="MapShardingStartup"/> has run:
/// <see cref="Partitions"/> takes <see cref="PartitionEnvelope"/>s, <see cref="MapTypes"/> takes <see cref="ClaimMapType"/>.
/// </summary>
internal sealed class MapRegions : IExtension
{
    private IActorRef? _partitions;
    private IActorRef? _mapTypes;
    private IActorRef? _changeFeed;

    public static MapRegions Get(ActorSystem system) => NodeExtension.Get<MapRegions>(system);

    public bool IsStarted => Volatile.Read(ref _partitions) is not null && Volatile.Read(ref _mapTypes) is not null;

    /// <summary>The "map" region: send it <see cref="PartitionEnvelope"/>s.</summary>
    public IActorRef Partitions => Volatile.Read(ref _partitions) ?? throw NotStarted();

    /// <summary>The "map-type" region: send it <see cref="ClaimMapType"/>.</summary>
    public IActorRef MapTypes => Volatile.Read(ref _mapTypes) ?? throw NotStarted();

    /// <summary>The node's <see cref="MapChangeFeed"/>: subscribe to <see cref="MapChanged.Topic"/> for a map's changes.</summary>
    public IActorRef ChangeFeed => Volatile.Read(ref _changeFeed) ?? throw NotStarted();

    internal void Set(IActorRef partitions, IActorRef mapTypes, IActorRef changeFeed)
    {
        Volatile.Write(ref _changeFeed, changeFeed);
        Volatile.Write(ref _partitions, partitions);
        Volatile.Write(ref _mapTypes, mapTypes);
    }

    private static InvalidOperationException NotStarted() =>
        new("The map shard regions are not started; register MapShardingStartup as an INodeStartupStep (or call MapSharding.StartAsync).");
}
