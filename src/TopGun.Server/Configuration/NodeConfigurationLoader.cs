using Akka.Configuration;

namespace TopGun.Server.Configuration;

/// <summary>Builds a <see cref="NodeConfiguration"/> from the environment, an optional HOCON file and reference.conf.</summary>
public static class NodeConfigurationLoader
{
    /// <summary>The embedded defaults of this assembly (<see cref="TopGunConfig.Reference"/>).</summary>
    public static Config Reference => TopGunConfig.Reference;

    /// <summary>
    /// Loads settings for the given environment (never the process environment implicitly, so tests stay
    /// isolated). <paramref name="extraConfig"/>, when given, sits between the environment and the file
    /// (tests use it instead of writing files). Resolves and persists the node id; reads a PEM key file.
    /// </summary>
    public static NodeConfiguration Load(IReadOnlyDictionary<string, string?> environment, Config? extraConfig = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var config = EnvironmentOverrides.ToConfig(environment);
        if (extraConfig is not null) config = config.WithFallback(extraConfig);
        if (EnvironmentOverrides.Get(environment, EnvironmentOverrides.ConfigFileVariable) is { } file)
            config = config.WithFallback(ParseFile(file));
        config = config.WithFallback(Reference);

        var topgun = TopGunConfig.Section(config, "topgun");
        var dataDir = Path.GetFullPath(topgun.String("data-dir"));
        var nodeId = NodeIdentity.Resolve(topgun.String("node-id"), dataDir);
        var resolved = new System.Text.StringBuilder()
            .Append("topgun.node-id = ").Append(System.Text.Json.JsonSerializer.Serialize(nodeId)).Append('\n')
            .Append("topgun.data-dir = ").Append(System.Text.Json.JsonSerializer.Serialize(dataDir)).Append('\n');
        if (ReadPemFile(topgun.String("jwt.secret")) is { } pem)
            resolved.Append("topgun.jwt.secret = ").Append(System.Text.Json.JsonSerializer.Serialize(pem)).Append('\n');
        config = ConfigurationFactory.ParseString(resolved.ToString()).WithFallback(config);

        return new NodeConfiguration(TopGunSettings.FromConfig(config), config);
    }

    private static Config ParseFile(string path)
    {
        if (!File.Exists(path))
            throw new TopGunConfigurationException($"TOPGUN_CONFIG points to '{path}', which does not exist.");
        try
        {
            return ConfigurationFactory.ParseString(File.ReadAllText(path));
        }
        catch (Exception e) when (e is not TopGunConfigurationException)
        {
            throw new TopGunConfigurationException($"TOPGUN_CONFIG file '{path}' is not valid HOCON: {e.Message}", e);
        }
    }

    // A secret that names an existing file holding a PEM block is an RS256 public key.
    private static string? ReadPemFile(string secret)
    {
        if (string.IsNullOrWhiteSpace(secret) || secret.Contains("-----BEGIN", StringComparison.Ordinal) || secret.Length > 4096)
            return null;
        try
        {
            if (!File.Exists(secret)) return null;
            var text = File.ReadAllText(secret);
            return text.Contains("-----BEGIN", StringComparison.Ordinal)
                ? text
                : throw new TopGunConfigurationException($"TOPGUN_JWT_SECRET names the file '{secret}', which holds no PEM public key.");
        }
        catch (IOException e)
        {
            throw new TopGunConfigurationException($"TOPGUN_JWT_SECRET names the file '{secret}', which cannot be read: {e.Message}", e);
        }
    }
}
