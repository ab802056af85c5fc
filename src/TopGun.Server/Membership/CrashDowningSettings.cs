using Akka.Configuration;
using TopGun.Server.Configuration;

namespace TopGun.Server.Membership;

/// <summary>The <c>topgun.cluster.crash-downing</c> section. Immutable.</summary>
public sealed record CrashDowningSettings
{
    /// <summary>Off leaves every unreachable member to the split-brain resolver.</summary>
    public required bool Enabled { get; init; }

    /// <summary>Pause between two probes of the same suspect.</summary>
    public required TimeSpan ProbeInterval { get; init; }

    /// <summary>Consecutive refused connections before the member is downed.</summary>
    public required int RefusalsToDown { get; init; }

    /// <summary>A probe that has neither connected nor been refused by then proves nothing.</summary>
    public required TimeSpan ConnectTimeout { get; init; }

    public static CrashDowningSettings FromConfig(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var c = config.GetConfig("topgun.cluster.crash-downing") ?? Config.Empty;
        var result = new CrashDowningSettings
        {
            Enabled = c.GetBoolean("enabled", true),
            ProbeInterval = c.GetTimeSpan("probe-interval", TimeSpan.FromMilliseconds(250)),
            RefusalsToDown = c.GetInt("refusals-to-down", 2),
            ConnectTimeout = c.GetTimeSpan("connect-timeout", TimeSpan.FromSeconds(1)),
        };
        if (result.RefusalsToDown < 1)
            throw new TopGunConfigurationException($"topgun.cluster.crash-downing.refusals-to-down must be 1 or more, got {result.RefusalsToDown}.");
        if (result.ProbeInterval <= TimeSpan.Zero || result.ConnectTimeout <= TimeSpan.Zero)
            throw new TopGunConfigurationException("topgun.cluster.crash-downing.probe-interval and connect-timeout must be positive.");
        return result;
    }
}
