using Akka.Configuration;

namespace TopGun.Server.Configuration;

/// <summary>
/// The loaded configuration of one node: typed <see cref="Settings"/> plus the merged HOCON they were
/// read from (environment &gt; TOPGUN_CONFIG file &gt; reference.conf), which also carries any
/// <c>akka.*</c> tuning an operator put in the file.
/// </summary>
public sealed record NodeConfiguration(TopGunSettings Settings, Config Config)
{
    public NodeConfiguration WithSettings(Func<TopGunSettings, TopGunSettings> change) => this with { Settings = change(Settings) };
}
