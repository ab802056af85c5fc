using Akka.Configuration;
using TopGun.Server.Configuration;

namespace TopGun.Server.Admin;

/// <summary>The <c>topgun.admin</c> section: who may call the read-only <c>/admin/*</c> endpoints.</summary>
internal sealed record AdminSettings(bool AllowRemote)
{
    public static AdminSettings FromConfig(Config config)
    {
        return new AdminSettings(TopGunConfig.Section(config, "topgun.admin").Bool("allow-remote"));
    }
}
