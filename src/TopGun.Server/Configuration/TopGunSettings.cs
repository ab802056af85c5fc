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
        ArgumentNullException.ThrowIfNull(config);
        var c = config.GetConfig("topgun")
            ?? throw new TopGunConfigurationException("The configuration has no 'topgun' section (is reference.conf missing from the fallback chain?).");

        var nodeId = c.GetString("node-id", "");
        if (!Core.Clock.NodeId.IsValid(nodeId, out var nodeIdError))
            throw new TopGunConfigurationException($"topgun.node-id / TOPGUN_NODE_ID '{nodeId}' is invalid: {nodeIdError}.");

        var environment = c.GetString("environment", "development").Trim().ToLowerInvariant();
        var settings = new TopGunSettings
        {
            IsProduction = environment is "production" or "prod",
            Host = NonEmpty(c, "host"),
            Port = ParsePort(c, "port", "TOPGUN_PORT"),
            NodeId = nodeId,
            DataDir = Path.GetFullPath(NonEmpty(c, "data-dir")),
            Ack = ParseAck(c.GetString("ack", "persisted")),
            SnapshotEvery = Positive(c, "snapshot-every"),
            PartitionCount = ParsePartitionCount(c.GetInt("partition-count", 16)),
            TombstoneGcAge = c.GetTimeSpan("tombstone-gc-age", TimeSpan.FromDays(30)),
            Jwt = new JwtSettings(c.GetString("jwt.secret", ""), c.GetTimeSpan("jwt.clock-skew", TimeSpan.FromSeconds(30))),
            Storage = new StorageSettings(
                ParseStorageKind(c.GetString("storage.kind", "sqlite")),
                c.GetString("storage.sqlite.file", "topgun.db"),
                c.GetString("storage.postgres.connection-string", ""),
                c.GetString("storage.postgres.schema", "public")),
            Cluster = new ClusterSettings(
                NonEmpty(c, "cluster.system-name"),
                NonEmpty(c, "cluster.hostname"),
                ParsePort(c, "cluster.port", "TOPGUN_CLUSTER_PORT"),
                c.GetStringList("cluster.seed-nodes").Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim()).ToArray()),
            Readiness = new ReadinessSettings(
                c.GetTimeSpan("readiness.probe-timeout", TimeSpan.FromSeconds(15)),
                c.GetTimeSpan("readiness.probe-retry-interval", TimeSpan.FromSeconds(2))),
            Limits = new LimitsSettings(
                c.GetByteSize("limits.max-frame-bytes") ?? 16L * 1024 * 1024,
                c.GetTimeSpan("limits.auth-timeout", TimeSpan.FromSeconds(10)),
                c.GetTimeSpan("limits.idle-timeout", TimeSpan.FromSeconds(20)),
                Positive(c, "limits.outbound-queue-limit"))
            {
                OutboundQueueBytes = PositiveBytes(c, "limits.outbound-queue-bytes", 64L * 1024 * 1024),
            },
            Coalescing = new CoalescingSettings(
                c.GetTimeSpan("coalescing.window", TimeSpan.FromMilliseconds(2)),
                Positive(c, "coalescing.max-messages"),
                (int)(c.GetByteSize("coalescing.max-bytes") ?? 256 * 1024)),
            Hlc = new HlcSettings(c.GetTimeSpan("hlc.max-drift", TimeSpan.FromSeconds(60)), c.GetBoolean("hlc.strict", false)),
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

    private static string NonEmpty(Config c, string key)
    {
        var value = c.GetString(key, "");
        return string.IsNullOrWhiteSpace(value)
            ? throw new TopGunConfigurationException($"topgun.{key} must not be empty.")
            : value.Trim();
    }

    private static int Positive(Config c, string key)
    {
        var value = c.GetInt(key, 0);
        return value > 0 ? value : throw new TopGunConfigurationException($"topgun.{key} must be a positive number, got {value}.");
    }

    private static long PositiveBytes(Config c, string key, long fallback)
    {
        var value = c.HasPath(key) ? c.GetByteSize(key) ?? 0 : fallback;
        return value > 0 ? value : throw new TopGunConfigurationException($"topgun.{key} must be a positive size (e.g. 64MiB), got {c.GetString(key, "")}.");
    }

    private static int ParsePort(Config c, string key, string envName)
    {
        var raw = c.GetString(key, "");
        return int.TryParse(raw, out var port) && port is >= 0 and <= 65535
            ? port
            : throw new TopGunConfigurationException($"topgun.{key} / {envName} must be a port number 0-65535, got '{raw}'.");
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
