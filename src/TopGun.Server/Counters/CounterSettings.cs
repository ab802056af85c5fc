using Akka.Configuration;
using TopGun.Server.Configuration;

namespace TopGun.Server.Counters;

/// <summary>The <c>topgun.counters</c> section. Immutable; <c>WithX</c> copies for tests; <see cref="Default"/> is reference.conf's.</summary>
internal sealed record CounterSettings
{
    public static CounterSettings Default { get; } = Create(Config.Empty);

    public required int MaxNameLength { get; init; }
    public required int MaxNodeIdLength { get; init; }
    public required int MaxSyncEntries { get; init; }
    public required int MaxEntries { get; init; }
    public required int MaxSubscriptionsPerClient { get; init; }
    public required TimeSpan RequestTimeout { get; init; }
    public required int ShardCount { get; init; }
    public required TimeSpan PassivateAfter { get; init; }
    public required int SnapshotEvery { get; init; }

    public static CounterSettings Create(Config config)
    {
        var c = TopGunConfig.Section(config, "topgun.counters");
        return new CounterSettings
        {
            MaxNameLength = c.PositiveInt("max-name-length"),
            MaxNodeIdLength = c.PositiveInt("max-node-id-length"),
            MaxSyncEntries = c.PositiveInt("max-sync-entries"),
            MaxEntries = c.PositiveInt("max-entries"),
            MaxSubscriptionsPerClient = c.PositiveInt("max-subscriptions-per-client"),
            RequestTimeout = c.PositiveDuration("request-timeout"),
            ShardCount = c.PositiveInt("shard-count"),
            PassivateAfter = c.Duration("passivate-after"),
            SnapshotEvery = c.PositiveInt("snapshot-every"),
        };
    }

    public CounterSettings WithRequestTimeout(TimeSpan timeout) => this with { RequestTimeout = timeout };

    public CounterSettings WithSnapshotEvery(int every) => this with { SnapshotEvery = every };

    public CounterSettings WithPassivateAfter(TimeSpan idle) => this with { PassivateAfter = idle };

    public CounterSettings WithMaxEntries(int entries) => this with { MaxEntries = entries };
}
