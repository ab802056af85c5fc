using Akka.Configuration;

namespace TopGun.Server.Configuration;

/// <summary>
/// Everything a node runs with, read once from the <c>topgun</c> HOCON section (after environment
/// overrides have been layered on). Immutable; the <c>WithX</c> methods make adjusted copies for tests.
/// </summary>
public sealed record TopGunSettings
{
    public required bool IsProduction { get; init; }
    public required string Host { get; init; }
    public required int Port { get; init; }
    public required string NodeId { get; init; }
    public required string DataDir { get; init; }
    public required AckMode Ack { get; init; }
    public required int SnapshotEvery { get; init; }
    public required int PartitionCount { get; init; }
    public required TimeSpan TombstoneGcAge { get; init; }
    public required JwtSettings Jwt { get; init; }
    public required StorageSettings Storage { get; init; }
    public required ClusterSettings Cluster { get; init; }
    public required ReadinessSettings Readiness { get; init; }
    public required LimitsSettings Limits { get; init; }
    public required CoalescingSettings Coalescing { get; init; }
    public required HlcSettings Hlc { get; init; }

    /// <summary>Reads and validates the <c>topgun</c> section; <paramref name="config"/> is the whole (merged) config.</summary>
    public static TopGunSettings FromConfig(Config config)
    {
        var c = TopGunConfig.Section(config, "topgun");

        var nodeId = c.String("node-id");
        if (!Core.Clock.NodeId.IsValid(nodeId, out var nodeIdError))
            throw new TopGunConfigurationException($"topgun.node-id / TOPGUN_NODE_ID '{nodeId}' is invalid: {nodeIdError}.");

        var environment = c.String("environment").Trim().ToLowerInvariant();
        var storage = c.Section("storage");
        var cluster = c.Section("cluster");
        var readiness = c.Section("readiness");
        var coalescing = c.Section("coalescing");
        var hlc = c.Section("hlc");
        var settings = new TopGunSettings
        {
            IsProduction = environment is "production" or "prod",
            Host = NonEmpty(c, "host"),
            Port = ParsePort(c, "port", "TOPGUN_PORT"),
            NodeId = nodeId,
            DataDir = Path.GetFullPath(NonEmpty(c, "data-dir")),
            Ack = ParseAck(c.String("ack")),
            SnapshotEvery = c.PositiveInt("snapshot-every"),
            PartitionCount = ParsePartitionCount(c.Int("partition-count")),
            TombstoneGcAge = c.Duration("tombstone-gc-age"),
            Jwt = new JwtSettings(c.String("jwt.secret"), c.Duration("jwt.clock-skew")),
            Storage = new StorageSettings(
                ParseStorageKind(storage.String("kind")),
                storage.String("sqlite.file"),
                storage.String("postgres.connection-string"),
                storage.String("postgres.schema"))
            {
                CircuitBreaker = new CircuitBreakerSettings(
                    storage.PositiveInt("circuit-breaker.max-failures"),
                    storage.PositiveDuration("circuit-breaker.call-timeout"),
                    storage.PositiveDuration("circuit-breaker.reset-timeout")),
            },
            Cluster = new ClusterSettings(
                NonEmpty(cluster, "system-name"),
                NonEmpty(cluster, "hostname"),
                ParsePort(cluster, "port", "TOPGUN_CLUSTER_PORT"),
                cluster.StringList("seed-nodes").Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim()).ToArray()),
            Readiness = new ReadinessSettings(readiness.Duration("probe-timeout"), readiness.Duration("probe-retry-interval"), readiness.Duration("probe-interval")),
            Limits = LimitsSettings.FromConfig(config),
            Coalescing = new CoalescingSettings(
                coalescing.Duration("window"),
                coalescing.PositiveInt("max-messages"),
                IntBytes(coalescing, "max-bytes")),
            Hlc = new HlcSettings(hlc.Duration("max-drift"), hlc.Bool("strict")),
        };
        settings.Validate();
        return settings;
    }

    /// <summary>Full path of the SQLite database file.</summary>
    public string SqlitePath => Path.IsPathRooted(Storage.SqliteFile) ? Storage.SqliteFile : Path.Combine(DataDir, Storage.SqliteFile);

    public TopGunSettings WithPort(int port) => this with { Port = port };

    public TopGunSettings WithNodeId(string nodeId) => this with { NodeId = Core.Clock.NodeId.Validate(nodeId) };

    public TopGunSettings WithDataDir(string dataDir) => this with { DataDir = Path.GetFullPath(dataDir) };

    public TopGunSettings WithStorage(StorageSettings storage) => this with { Storage = storage };

    public TopGunSettings WithCluster(ClusterSettings cluster) => this with { Cluster = cluster };

    public TopGunSettings WithJwt(JwtSettings jwt) => this with { Jwt = jwt };

    public TopGunSettings WithAck(AckMode ack) => this with { Ack = ack };

    public TopGunSettings WithLimits(LimitsSettings limits) => this with { Limits = limits };

    /// <summary>Rules that span several keys. Throws <see cref="TopGunConfigurationException"/> with an operator-facing message.</summary>
    public void Validate()
    {
        if (IsProduction && Jwt.IsDevelopmentSecret)
            throw new TopGunConfigurationException(
                "Refusing to start: TOPGUN_ENV=production but TOPGUN_JWT_SECRET is missing or is the built-in development secret. " +
                "Set TOPGUN_JWT_SECRET to a strong HS256 secret (32+ random bytes) or to an RS256 PEM public key (inline or a file path).");
        if (Storage.Kind == StorageKind.Postgres && string.IsNullOrWhiteSpace(Storage.PostgresConnectionString))
            throw new TopGunConfigurationException(
                "TOPGUN_STORAGE=postgres needs a connection string: set TOPGUN_POSTGRES (e.g. \"Host=db;Username=topgun;Password=...;Database=topgun\").");
        if (Storage.Kind == StorageKind.Sqlite && !Cluster.JoinsSelf)
            throw new TopGunConfigurationException(
                "Refusing to join a cluster (TOPGUN_SEED_NODES is set) with embedded SQLite storage: every node of a cluster must share one journal. " +
                "Set TOPGUN_STORAGE=postgres and TOPGUN_POSTGRES, or unset TOPGUN_SEED_NODES to run a single node.");
        if (Storage.Kind == StorageKind.Postgres && !IsSqlIdentifier(Storage.PostgresSchema))
            throw new TopGunConfigurationException(
                $"topgun.storage.postgres.schema '{Storage.PostgresSchema}' must be a plain lowercase SQL identifier (a-z, 0-9, _).");
    }

    private static bool IsSqlIdentifier(string name) =>
        name.Length is > 0 and <= 63 && name[0] is >= 'a' and <= 'z' or '_' && name.All(ch => ch is >= 'a' and <= 'z' or >= '0' and <= '9' or '_');

    private static string NonEmpty(ConfigSection c, string key)
    {
        var value = c.String(key);
        return string.IsNullOrWhiteSpace(value)
            ? throw new TopGunConfigurationException($"{c.Name(key)} must not be empty.")
            : value.Trim();
    }

    private static int IntBytes(ConfigSection c, string key)
    {
        var value = c.Bytes(key);
        return value is >= 0 and <= int.MaxValue ? (int)value : throw c.Invalid(key, "must be a size from 0 to 2GiB", value);
    }

    private static int ParsePort(ConfigSection c, string key, string envName)
    {
        var raw = c.String(key);
        return int.TryParse(raw, out var port) && port is >= 0 and <= 65535
            ? port
            : throw new TopGunConfigurationException($"{c.Name(key)} / {envName} must be a port number 0-65535, got '{raw}'.");
    }

    private static AckMode ParseAck(string raw) => raw.Trim().ToLowerInvariant() switch
    {
        "persisted" => AckMode.Persisted,
        "memory" => AckMode.Memory,
        _ => throw new TopGunConfigurationException($"topgun.ack must be 'persisted' or 'memory', got '{raw}'."),
    };

    private static StorageKind ParseStorageKind(string raw) => raw.Trim().ToLowerInvariant() switch
    {
        "sqlite" => StorageKind.Sqlite,
        "postgres" or "postgresql" => StorageKind.Postgres,
        _ => throw new TopGunConfigurationException($"topgun.storage.kind / TOPGUN_STORAGE must be 'sqlite' or 'postgres', got '{raw}'."),
    };

    // The partition is the first hex digit(s) of the key hash, so only whole hex digits make sense.
    private static int ParsePartitionCount(int value) => value is 16 or 256
        ? value
        : throw new TopGunConfigurationException($"topgun.partition-count must be 16 or 256, got {value}.");
}
