using Akka.Configuration;

namespace TopGun.Server.Configuration;

/// <summary>Per-connection and per-node protection limits: the whole <c>topgun.limits</c> section. A rate of 0 switches that limit off.</summary>
public sealed record LimitsSettings
{
    /// <summary>Largest inbound WebSocket message; bigger ones are closed with 1009.</summary>
    public required long MaxFrameBytes { get; init; }

    /// <summary>Time a socket may stay unauthenticated before it is closed 4001.</summary>
    public required TimeSpan AuthTimeout { get; init; }

    /// <summary>Authenticated clients silent this long are closed 4002.</summary>
    public required TimeSpan IdleTimeout { get; init; }

    /// <summary>Frames queued for one client before it is dropped with 1013.</summary>
    public required int OutboundQueueLimit { get; init; }

    /// <summary>Encoded bytes queued for one client before it is dropped with 1013 (one message always fits).</summary>
    public required long OutboundQueueBytes { get; init; }

    /// <summary>Most ops in one OP_BATCH; a bigger batch is refused whole with ERROR 400.</summary>
    public required int MaxBatchOps { get; init; }

    /// <summary>Sustained write ops per second per client (token bucket); beyond it ERROR 429.</summary>
    public required double OpRatePerSecond { get; init; }

    /// <summary>Bucket size of the op rate: the burst a client may write at once.</summary>
    public required double OpRateBurst { get; init; }

    /// <summary>Live queries one client may hold; one more gets ERROR 429.</summary>
    public required int MaxQueriesPerClient { get; init; }

    /// <summary>Open client sockets per node; one more is closed 1013.</summary>
    public required int MaxConnections { get; init; }

    /// <summary>New sockets per second per node (token bucket with one second of burst); beyond it close 1013.</summary>
    public required double MaxNewConnectionsPerSecond { get; init; }

    public static LimitsSettings FromConfig(Config config)
    {
        var c = TopGunConfig.Section(config, "topgun.limits");
        var result = new LimitsSettings
        {
            MaxFrameBytes = c.Bytes("max-frame-bytes"),
            AuthTimeout = c.Duration("auth-timeout"),
            IdleTimeout = c.Duration("idle-timeout"),
            OutboundQueueLimit = c.PositiveInt("outbound-queue-limit"),
            OutboundQueueBytes = c.PositiveBytes("outbound-queue-bytes"),
            MaxBatchOps = c.PositiveInt("max-batch-ops"),
            OpRatePerSecond = c.Double("op-rate"),
            OpRateBurst = c.Double("op-rate-burst"),
            MaxQueriesPerClient = c.PositiveInt("max-queries-per-client"),
            MaxConnections = c.PositiveInt("max-connections"),
            MaxNewConnectionsPerSecond = c.Double("max-new-connections-per-second"),
        };
        if (result.OpRatePerSecond < 0 || result.MaxNewConnectionsPerSecond < 0)
            throw new TopGunConfigurationException("topgun.limits: op-rate and max-new-connections-per-second must be 0 (off) or positive.");
        if (result.OpRatePerSecond > 0 && result.OpRateBurst < result.MaxBatchOps)
            throw new TopGunConfigurationException(
                $"topgun.limits.op-rate-burst ({result.OpRateBurst}) must be at least max-batch-ops ({result.MaxBatchOps}), or a full batch could never pass.");
        return result;
    }

    public LimitsSettings WithMaxFrameBytes(long bytes) => this with { MaxFrameBytes = bytes };
}
