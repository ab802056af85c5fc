using Akka.Configuration;
using TopGun.Server.Configuration;

namespace TopGun.Server.Gateway;

/// <summary>
/// How a client connection treats writes, input, hostile clients and shutdown: the <c>topgun.gateway</c> section, plus
/// the gateway's keys of <c>topgun.limits</c> (owned by <see cref="LimitsSettings"/>) and the GC cadence of
/// <c>topgun.maps</c> (owned by <see cref="Maps.MapSettings"/>). A rate of 0 switches that limit off.
/// </summary>
internal sealed record GatewaySettings
{
    /// <summary>reference.conf's settings.</summary>
    public static readonly GatewaySettings Default = FromConfig(Config.Empty);

    /// <summary>How long a write (or sync/query request) may wait for its partitions; a client's own op timeout overrides it.</summary>
    public required TimeSpan OpTimeout { get; init; }

    /// <summary>On shutdown, how long in-flight writes may take after SHUTDOWN_PENDING before the socket is closed 1001.</summary>
    public required TimeSpan ShutdownGrace { get; init; }

    public required int MaxKeyLength { get; init; }

    public required int MaxMapNameLength { get; init; }

    /// <summary>Client frames decoded but not yet handled by the connection.</summary>
    public required int InboundQueueLimit { get; init; }

    /// <summary>Log lines about one client's rejected input per <see cref="RejectedLogWindow"/>.</summary>
    public required int RejectedLogLimit { get; init; }

    public required TimeSpan RejectedLogWindow { get; init; }

    /// <summary>The whole <c>topgun.limits</c> section; the gateway's own keys of it are below.</summary>
    public required LimitsSettings Limits { get; init; }

    public int MaxBatchOps => Limits.MaxBatchOps;

    public double OpRatePerSecond => Limits.OpRatePerSecond;

    public double OpRateBurst => Limits.OpRateBurst;

    public int MaxQueriesPerClient => Limits.MaxQueriesPerClient;

    public int MaxConnections => Limits.MaxConnections;

    public double MaxNewConnectionsPerSecond => Limits.MaxNewConnectionsPerSecond;

    /// <summary>How long a closing socket may take to flush its close frame before it is aborted.</summary>
    public required TimeSpan CloseTimeout { get; init; }

    /// <summary>How often an authenticated client is sent GC_PRUNE with the tombstone GC horizon (<c>topgun.maps.tombstone-gc-interval</c>, the partitions' own GC cadence).</summary>
    public required TimeSpan GcPruneInterval { get; init; }

    /// <summary>Reads <c>topgun.gateway</c>, the gateway's keys of <c>topgun.limits</c> and <c>topgun.maps.tombstone-gc-interval</c> over reference.conf.</summary>
    public static GatewaySettings FromConfig(Config config)
    {
        var c = TopGunConfig.Section(config, "topgun.gateway");
        return new GatewaySettings
        {
            OpTimeout = c.PositiveDuration("op-timeout"),
            ShutdownGrace = c.Duration("shutdown-grace"),
            MaxKeyLength = c.PositiveInt("max-key-length"),
            MaxMapNameLength = c.PositiveInt("max-map-name-length"),
            InboundQueueLimit = c.PositiveInt("inbound-queue-limit"),
            RejectedLogLimit = c.Int("rejected-log-limit"),
            RejectedLogWindow = c.Duration("rejected-log-window"),
            CloseTimeout = c.PositiveDuration("close-timeout"),
            Limits = LimitsSettings.FromConfig(config),
            GcPruneInterval = Maps.MapSettings.TombstoneGcIntervalOf(config),
        };
    }
}
