namespace TopGun.Server.Configuration;

/// <summary>Per-connection protection limits (<c>topgun.limits</c>).</summary>
public sealed record LimitsSettings(
    long MaxFrameBytes,
    TimeSpan AuthTimeout,
    TimeSpan IdleTimeout,
    int OutboundQueueLimit)
{
    /// <summary>Encoded bytes queued for one client before it is dropped with 1013 (one message always fits).</summary>
    public long OutboundQueueBytes { get; init; } = 64L * 1024 * 1024;

    public LimitsSettings WithMaxFrameBytes(long bytes) => this with { MaxFrameBytes = bytes };
}
