using Akka.Configuration;
using TopGun.Server.Configuration;

namespace TopGun.Server.Counters;

/// <summary>The <c>topgun.counters</c> section. Immutable; <c>WithX</c> copies for tests.</summary>
public sealed record CounterSettings
{
    public static CounterSettings Default { get; } = Create(ConfigurationFactory.Empty);

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
        ArgumentNullException.ThrowIfNull(config);
        var c = config.GetConfig("topgun.counters") ?? Config.Empty;
        var result = new CounterSettings
        {
            MaxNameLength = c.GetInt("max-name-length", 256),
            MaxNodeIdLength = c.GetInt("max-node-id-length", 256),
            MaxSyncEntries = c.GetInt("max-sync-entries", 1000),
            MaxEntries = c.GetInt("max-entries", 10000),
            MaxSubscriptionsPerClient = c.GetInt("max-subscriptions-per-client", 1000),
            RequestTimeout = c.GetTimeSpan("request-timeout", TimeSpan.FromSeconds(10)),
            ShardCount = c.GetInt("shard-count", 64),
            PassivateAfter = c.GetTimeSpan("passivate-after", TimeSpan.FromMinutes(10)),
            SnapshotEvery = c.GetInt("snapshot-every", 1000),
        };
        Positive(result.MaxNameLength, "max-name-length");
        Positive(result.MaxNodeIdLength, "max-node-id-length");
        Positive(result.MaxSyncEntries, "max-sync-entries");
        Positive(result.MaxEntries, "max-entries");
        Positive(result.MaxSubscriptionsPerClient, "max-subscriptions-per-client");
        Positive(result.ShardCount, "shard-count");
        Positive(result.SnapshotEvery, "snapshot-every");
        if (result.RequestTimeout <= TimeSpan.Zero) throw new TopGunConfigurationException("topgun.counters.request-timeout must be positive.");
        return result;
    }

    public CounterSettings WithRequestTimeout(TimeSpan timeout) => this with { RequestTimeout = timeout };

    public CounterSettings WithSnapshotEvery(int every) => this with { SnapshotEvery = every };

    public CounterSettings WithPassivateAfter(TimeSpan idle) => this with { PassivateAfter = idle };

    public CounterSettings WithMaxEntries(int entries) => this with { MaxEntries = entries };

    private static void Positive(int value, string key)
    {
        if (value <= 0) throw new TopGunConfigurationException($"topgun.counters.{key} must be positive, got {value}.");
    }
}
