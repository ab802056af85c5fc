using Akka.Configuration;
using TopGun.Server.Configuration;

namespace TopGun.Server.Maps;

/// <summary>
/// What a map partition runs with: the node-wide keys it needs from <see cref="TopGunSettings"/> plus the
/// <c>topgun.maps</c> section. Immutable; <c>WithX</c> copies for tests.
/// </summary>
public sealed record MapSettings
{
    public required AckMode Ack { get; init; }
    public required int SnapshotEvery { get; init; }
    public required int PartitionCount { get; init; }
    public required TimeSpan TombstoneGcAge { get; init; }
    public required int ShardCount { get; init; }
    public required TimeSpan PassivateAfter { get; init; }
    public required TimeSpan TtlCheckInterval { get; init; }
    public required TimeSpan TombstoneGcInterval { get; init; }

    /// <summary>Node id written into tombstones made by TTL expiry; shared by all nodes so replicas expire identically.</summary>
    public const string ExpiryNodeId = "ttl";

    public static MapSettings Create(TopGunSettings settings, Config config)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(config);
        var c = config.GetConfig("topgun.maps") ?? Config.Empty;
        var result = new MapSettings
        {
            Ack = settings.Ack,
            SnapshotEvery = settings.SnapshotEvery,
            PartitionCount = settings.PartitionCount,
            TombstoneGcAge = settings.TombstoneGcAge,
            ShardCount = c.GetInt("shard-count", 64),
            PassivateAfter = c.GetTimeSpan("passivate-after", TimeSpan.FromMinutes(10)),
            TtlCheckInterval = c.GetTimeSpan("ttl-check-interval", TimeSpan.FromSeconds(1)),
            TombstoneGcInterval = c.GetTimeSpan("tombstone-gc-interval", TimeSpan.FromHours(1)),
        };
        if (result.ShardCount <= 0) throw new TopGunConfigurationException($"topgun.maps.shard-count must be positive, got {result.ShardCount}.");
        return result;
    }

    /// <summary>Reads everything from an ActorSystem's config (the host puts the node's merged HOCON there).</summary>
    public static MapSettings FromConfig(Config config) => Create(TopGunSettings.FromConfig(config), config);

    public MapSettings WithAck(AckMode ack) => this with { Ack = ack };

    public MapSettings WithSnapshotEvery(int every) => this with { SnapshotEvery = every };

    public MapSettings WithPassivateAfter(TimeSpan idle) => this with { PassivateAfter = idle };

    public MapSettings WithTtlCheckInterval(TimeSpan interval) => this with { TtlCheckInterval = interval };

    public MapSettings WithTombstoneGc(TimeSpan age, TimeSpan interval) => this with { TombstoneGcAge = age, TombstoneGcInterval = interval };
}
