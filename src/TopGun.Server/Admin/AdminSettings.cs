using Akka.Configuration;

namespace TopGun.Server.Admin;

/// <summary>The <c>topgun.admin</c> section: who may call the read-only <c>/admin/*</c> endpoints.</summary>
public sealed record AdminSettings(bool AllowRemote)
{
    public static AdminSettings FromConfig(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new AdminSettings(config.GetBoolean("topgun.admin.allow-remote", false));
    }
}
