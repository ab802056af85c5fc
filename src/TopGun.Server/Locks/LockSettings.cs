using Akka.Configuration;
using TopGun.Server.Configuration;

namespace TopGun.Server.Locks;

/// <summary>The <c>topgun.locks</c> section: limits of lock requests and how lock entities run. Immutable; <c>WithX</c> copies for tests.</summary>
internal sealed record LockSettings
{
    public static readonly LockSettings Default = Create(Config.Empty);

    public required int ShardCount { get; init; }
    public required TimeSpan PassivateAfter { get; init; }
    public required TimeSpan DefaultTtl { get; init; }
    public required TimeSpan MinTtl { get; init; }
    public required TimeSpan MaxTtl { get; init; }
    public required int MaxNameLength { get; init; }
    public required int MaxWaiters { get; init; }
    public required int MaxPendingPerClient { get; init; }
    public required TimeSpan ResendInterval { get; init; }
    public required TimeSpan ReleaseTimeout { get; init; }
    public required int SnapshotEvery { get; init; }

    public static LockSettings Create(Config config)
    {
        var c = TopGunConfig.Section(config, "topgun.locks");
        var result = new LockSettings
        {
            ShardCount = c.PositiveInt("shard-count"),
            PassivateAfter = c.Duration("passivate-after"),
            DefaultTtl = c.Duration("default-ttl"),
            MinTtl = c.Duration("min-ttl"),
            MaxTtl = c.Duration("max-ttl"),
            MaxNameLength = c.PositiveInt("max-name-length"),
            MaxWaiters = c.PositiveInt("max-waiters"),
            MaxPendingPerClient = c.PositiveInt("max-pending-per-client"),
            ResendInterval = c.Duration("resend-interval"),
            ReleaseTimeout = c.Duration("release-timeout"),
            SnapshotEvery = c.PositiveInt("snapshot-every"),
        };
        if (result.MinTtl <= TimeSpan.Zero || result.MaxTtl < result.MinTtl)
            throw new TopGunConfigurationException($"topgun.locks needs 0 < min-ttl <= max-ttl, got {result.MinTtl} and {result.MaxTtl}.");
        return result;
    }

    /// <summary>The lease a LOCK_REQUEST gets: absent or 0 means the default (as the TS server does), then clamped to [min-ttl, max-ttl].</summary>
    public long LeaseMillis(long? requestedTtl)
    {
        var ttl = requestedTtl is > 0 ? requestedTtl.Value : (long)DefaultTtl.TotalMilliseconds;
        return Math.Clamp(ttl, (long)MinTtl.TotalMilliseconds, (long)MaxTtl.TotalMilliseconds);
    }

    /// <summary>Why <paramref name="name"/> cannot name a lock, or null when it can.</summary>
    public string? CheckName(string name)
    {
        if (string.IsNullOrEmpty(name)) return "lock name must not be empty";
        if (name.Length > MaxNameLength) return $"lock name is longer than {MaxNameLength} characters";
        return null;
    }

    public LockSettings WithTtlBounds(TimeSpan min, TimeSpan max) => this with { MinTtl = min, MaxTtl = max };

    public LockSettings WithPassivateAfter(TimeSpan idle) => this with { PassivateAfter = idle };

    public LockSettings WithSnapshotEvery(int every) => this with { SnapshotEvery = every };
}
