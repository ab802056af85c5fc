using Akka.Configuration;
using TopGun.Server.Configuration;

namespace TopGun.Server.Maps;

/// <summary>
/// What a map partition runs with: the node-wide keys it needs from <see cref="TopGunSettings"/> plus the
/// <c>topgun.maps</c> section. Immutable; <c>WithX</c> copies for tests.
/// </summary>
internal sealed record MapSettings
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
        var c = Section(config);
        return new MapSettings
        {
            Ack = settings.Ack,
            SnapshotEvery = settings.SnapshotEvery,
            PartitionCount = settings.PartitionCount,
            TombstoneGcAge = settings.TombstoneGcAge,
            ShardCount = c.PositiveInt("shard-count"),
            PassivateAfter = c.Duration("passivate-after"),
            TtlCheckInterval = c.Duration("ttl-check-interval"),
            TombstoneGcInterval = TombstoneGcIntervalOf(config),
        };
    }

    /// <summary><c>topgun.maps.tombstone-gc-interval</c> alone: the gateway sends GC_PRUNE at the partitions' GC cadence.</summary>
    public static TimeSpan TombstoneGcIntervalOf(Config config) => Section(config).PositiveDuration("tombstone-gc-interval");

    private static ConfigSection Section(Config config) => TopGunConfig.Section(config, "topgun.maps");

    /// <summary>Reads everything from an ActorSystem's config (the host puts the node's merged HOCON there).</summary>
    public static MapSettings FromConfig(Config config) => Create(TopGunSettings.FromConfig(config), config);

    public MapSettings WithAck(AckMode ack) => this with { Ack = ack };

    public MapSettings WithSnapshotEvery(int every) => this with { SnapshotEvery = every };

    public MapSettings WithPassivateAfter(TimeSpan idle) => this with { PassivateAfter = idle };

    public MapSettings WithTtlCheckInterval(TimeSpan interval) => this with { TtlCheckInterval = interval };

    public MapSettings WithTombstoneGc(TimeSpan age, TimeSpan interval) => this with { TombstoneGcAge = age, TombstoneGcInterval = interval };
}
