using Akka.Configuration;
using TopGun.Server.Configuration;

namespace TopGun.Server.Membership;

/// <summary>The <c>topgun.cluster.crash-downing</c> section. Immutable.</summary>
internal sealed record CrashDowningSettings
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
        var c = TopGunConfig.Section(config, "topgun.cluster.crash-downing");
        var result = new CrashDowningSettings
        {
            Enabled = c.Bool("enabled"),
            ProbeInterval = c.PositiveDuration("probe-interval"),
            RefusalsToDown = c.Int("refusals-to-down"),
            ConnectTimeout = c.PositiveDuration("connect-timeout"),
        };
        if (result.RefusalsToDown < 1) throw c.Invalid("refusals-to-down", "must be 1 or more", result.RefusalsToDown);
        return result;
    }
}
