namespace TopGun.Server.Configuration;

/// <summary>Per-connection protection limits (<c>topgun.limits</c>).</summary>
public sealed record LimitsSettings(
    long MaxFrameBytes,
    TimeSpan AuthTimeout,
    TimeSpan IdleTimeout,
    int OutboundQueueLimit)
{
    public LimitsSettings WithMaxFrameBytes(long bytes) => this with { MaxFrameBytes = bytes };
}
