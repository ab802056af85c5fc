using System.Text;
using System.Text.Json;
using Akka.Configuration;

namespace TopGun.Server.Configuration;

/// <summary>
/// Maps the TOPGUN_* environment variables onto <c>topgun.*</c> HOCON keys, so every setting has one
/// source of truth (the Config) and the environment simply wins over files.
/// </summary>
public static class EnvironmentOverrides
{
    /// <summary>Environment variable → HOCON path (scalar values).</summary>
    public static readonly IReadOnlyDictionary<string, string> ScalarKeys = new Dictionary<string, string>
    {
        ["TOPGUN_ENV"] = "topgun.environment",
        ["TOPGUN_HOST"] = "topgun.host",
        ["TOPGUN_PORT"] = "topgun.port",
        ["TOPGUN_NODE_ID"] = "topgun.node-id",
        ["TOPGUN_DATA_DIR"] = "topgun.data-dir",
        ["TOPGUN_ACK"] = "topgun.ack",
        ["TOPGUN_JWT_SECRET"] = "topgun.jwt.secret",
        ["TOPGUN_STORAGE"] = "topgun.storage.kind",
        ["TOPGUN_POSTGRES"] = "topgun.storage.postgres.connection-string",
        ["TOPGUN_POSTGRES_SCHEMA"] = "topgun.storage.postgres.schema",
        ["TOPGUN_CLUSTER_HOST"] = "topgun.cluster.hostname",
        ["TOPGUN_CLUSTER_PORT"] = "topgun.cluster.port",
    };

    /// <summary>Comma-separated list of seed nodes.</summary>
    public const string SeedNodesVariable = "TOPGUN_SEED_NODES";

    /// <summary>Path of an extra HOCON file layered between the environment and reference.conf.</summary>
    public const string ConfigFileVariable = "TOPGUN_CONFIG";

    /// <summary>Builds the override layer. Empty variables count as unset.</summary>
    public static Config ToConfig(IReadOnlyDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var hocon = new StringBuilder();
        foreach (var (variable, path) in ScalarKeys)
        {
            if (Get(environment, variable) is { } value)
                hocon.Append(path).Append(" = ").Append(Quote(value)).Append('\n');
        }

        // A connection string alone is a clear enough intent; TOPGUN_STORAGE still wins when given.
        if (Get(environment, "TOPGUN_POSTGRES") is not null && Get(environment, "TOPGUN_STORAGE") is null)
            hocon.Append("topgun.storage.kind = postgres\n");

        if (Get(environment, SeedNodesVariable) is { } seeds)
        {
            var list = seeds.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Quote);
            hocon.Append("topgun.cluster.seed-nodes = [").Append(string.Join(", ", list)).Append("]\n");
        }

        return hocon.Length == 0 ? Config.Empty : ConfigurationFactory.ParseString(hocon.ToString());
    }

    /// <summary>The process environment as the dictionary the loader expects.</summary>
    public static IReadOnlyDictionary<string, string?> FromProcess()
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key && key.StartsWith("TOPGUN_", StringComparison.Ordinal))
                result[key] = entry.Value as string;
        }
        return result;
    }

    internal static string? Get(IReadOnlyDictionary<string, string?> environment, string name) =>
        environment.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    // HOCON quoted strings are JSON strings, so JSON escaping keeps secrets and connection strings intact.
    private static string Quote(string value) => JsonSerializer.Serialize(value);
}
