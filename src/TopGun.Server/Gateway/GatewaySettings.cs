using Akka.Configuration;
using TopGun.Server.Configuration;

namespace TopGun.Server.Gateway;

/// <summary>How a client connection treats writes, input and shutdown (<c>topgun.gateway</c>).</summary>
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

    /// <summary>Reads <c>topgun.gateway</c> from the node's merged config; missing keys keep the defaults.</summary>
    public static GatewaySettings FromConfig(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var c = config.GetConfig("topgun.gateway");
        if (c is null) return Default;
        var settings = new GatewaySettings(
            c.GetTimeSpan("op-timeout", Default.OpTimeout),
            c.GetTimeSpan("shutdown-grace", Default.ShutdownGrace),
            c.GetInt("max-key-length", Default.MaxKeyLength),
            c.GetInt("max-map-name-length", Default.MaxMapNameLength),
            c.GetInt("inbound-queue-limit", Default.InboundQueueLimit),
            c.GetInt("rejected-log-limit", Default.RejectedLogLimit),
            c.GetTimeSpan("rejected-log-window", Default.RejectedLogWindow));
        if (settings.OpTimeout <= TimeSpan.Zero || settings.MaxKeyLength <= 0 || settings.MaxMapNameLength <= 0 || settings.InboundQueueLimit <= 0)
            throw new TopGunConfigurationException("topgun.gateway: op-timeout, max-key-length, max-map-name-length and inbound-queue-limit must be positive.");
        return settings;
    }
}
