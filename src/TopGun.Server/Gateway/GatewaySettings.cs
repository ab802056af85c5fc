using Akka.Configuration;
using TopGun.Server.Configuration;

namespace TopGun.Server.Gateway;

/// <summary>
/// How a client connection treats writes, input, hostile clients and shutdown (<c>topgun.gateway</c>, plus the
/// gateway's own keys of <c>topgun.limits</c>). A rate of 0 switches that limit off.
/// </summary>
public sealed record GatewaySettings(
    TimeSpan OpTimeout,
    TimeSpan ShutdownGrace,
    int MaxKeyLength,
    int MaxMapNameLength,
    int InboundQueueLimit,
    int RejectedLogLimit,
    TimeSpan RejectedLogWindow)
{
    public static readonly GatewaySettings Default = new(
        TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5), 1024, 256, 256, 5, TimeSpan.FromSeconds(10));

    /// <summary>Most ops in one OP_BATCH; a bigger batch is refused whole with ERROR 400.</summary>
    public int MaxBatchOps { get; init; } = 5000;

    /// <summary>Sustained write ops per second per client (token bucket); beyond it ERROR 429.</summary>
    public double OpRatePerSecond { get; init; } = 50_000;

    /// <summary>Bucket size of the op rate: the burst a client may write at once.</summary>
    public double OpRateBurst { get; init; } = 100_000;

    /// <summary>Live queries one client may hold; one more gets ERROR 429.</summary>
    public int MaxQueriesPerClient { get; init; } = 1000;

    /// <summary>Open client sockets per node; one more is closed 1013.</summary>
    public int MaxConnections { get; init; } = 10_000;

    /// <summary>New sockets per second per node (token bucket with one second of burst); beyond it close 1013.</summary>
    public double MaxNewConnectionsPerSecond { get; init; } = 1000;

    /// <summary>How long a closing socket may take to flush its close frame before it is aborted.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often an authenticated client is sent GC_PRUNE with the tombstone GC horizon (<c>topgun.maps.tombstone-gc-interval</c>, the partitions' own GC cadence).</summary>
    public TimeSpan GcPruneInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Reads <c>topgun.gateway</c> and <c>topgun.limits</c> from the node's merged config; missing keys keep the defaults.</summary>
    public static GatewaySettings FromConfig(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var c = config.GetConfig("topgun.gateway");
        var settings = c is null
            ? Default
            : new GatewaySettings(
                c.GetTimeSpan("op-timeout", Default.OpTimeout),
                c.GetTimeSpan("shutdown-grace", Default.ShutdownGrace),
                c.GetInt("max-key-length", Default.MaxKeyLength),
                c.GetInt("max-map-name-length", Default.MaxMapNameLength),
                c.GetInt("inbound-queue-limit", Default.InboundQueueLimit),
                c.GetInt("rejected-log-limit", Default.RejectedLogLimit),
                c.GetTimeSpan("rejected-log-window", Default.RejectedLogWindow))
            {
                CloseTimeout = c.GetTimeSpan("close-timeout", Default.CloseTimeout),
            };
        if (config.GetConfig("topgun.limits") is { } l)
        {
            settings = settings with
            {
                MaxBatchOps = l.GetInt("max-batch-ops", Default.MaxBatchOps),
                OpRatePerSecond = l.GetDouble("op-rate", Default.OpRatePerSecond),
                OpRateBurst = l.GetDouble("op-rate-burst", Default.OpRateBurst),
                MaxQueriesPerClient = l.GetInt("max-queries-per-client", Default.MaxQueriesPerClient),
                MaxConnections = l.GetInt("max-connections", Default.MaxConnections),
                MaxNewConnectionsPerSecond = l.GetDouble("max-new-connections-per-second", Default.MaxNewConnectionsPerSecond),
            };
        }
        if (config.GetConfig("topgun.maps") is { } m)
            settings = settings with { GcPruneInterval = m.GetTimeSpan("tombstone-gc-interval", Default.GcPruneInterval) };
        settings.Validate();
        return settings;
    }

    private void Validate()
    {
        if (OpTimeout <= TimeSpan.Zero || MaxKeyLength <= 0 || MaxMapNameLength <= 0 || InboundQueueLimit <= 0 || CloseTimeout <= TimeSpan.Zero || GcPruneInterval <= TimeSpan.Zero)
            throw new TopGunConfigurationException("topgun.gateway: op-timeout, close-timeout, max-key-length, max-map-name-length and inbound-queue-limit, and topgun.maps.tombstone-gc-interval, must be positive.");
        if (MaxBatchOps <= 0 || MaxQueriesPerClient <= 0 || MaxConnections <= 0)
            throw new TopGunConfigurationException("topgun.limits: max-batch-ops, max-queries-per-client and max-connections must be positive.");
        if (OpRatePerSecond < 0 || MaxNewConnectionsPerSecond < 0)
            throw new TopGunConfigurationException("topgun.limits: op-rate and max-new-connections-per-second must be 0 (off) or positive.");
        if (OpRatePerSecond > 0 && OpRateBurst < MaxBatchOps)
            throw new TopGunConfigurationException($"topgun.limits.op-rate-burst ({OpRateBurst}) must be at least max-batch-ops ({MaxBatchOps}), or a full batch could never pass.");
    }
}
