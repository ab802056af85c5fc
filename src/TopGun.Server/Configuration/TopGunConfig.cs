using Akka.Configuration;

namespace TopGun.Server.Configuration;

/// <summary>
/// The one source of TopGun's defaults: this assembly's embedded reference.conf. Every settings type reads its
/// section through <see cref="Section"/>, which puts reference.conf beneath whatever config it is given, so a key
/// has its default in reference.conf only (never again in C#) and a bare config built by a test still reads fully.
/// </summary>
public static class TopGunConfig
{
    private const string ResourceName = "TopGun.Server.reference.conf";

    /// <summary>The embedded defaults of this assembly.</summary>
    public static Config Reference { get; } = ConfigurationFactory.FromResource(ResourceName, typeof(TopGunConfig).Assembly);

    /// <summary><paramref name="config"/> over reference.conf; a config that already falls back to it reads the same.</summary>
    public static Config WithDefaults(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.IsEmpty || ReferenceEquals(config, Reference) ? Reference : config.WithFallback(Reference);
    }

    /// <summary>The section at <paramref name="path"/> (e.g. <c>topgun.counters</c>) of <paramref name="config"/> over reference.conf.</summary>
    public static ConfigSection Section(Config config, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var section = WithDefaults(config).GetConfig(path)
            ?? throw new TopGunConfigurationException($"reference.conf has no section '{path}'.");
        return new ConfigSection(path, section);
    }
}
