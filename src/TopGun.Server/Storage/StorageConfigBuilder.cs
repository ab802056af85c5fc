using System.Text.Json;
using Akka.Configuration;
using TopGun.Server.Configuration;

namespace TopGun.Server.Storage;

/// <summary>
/// The Akka.Persistence.Sql journal, snapshot store and read journal for the configured storage.
/// The <c>class</c> lines are spelled out because a plain ActorSystem does not load the plugin's
/// defaults until a plugin with a class is found.
/// </summary>
internal static class StorageConfigBuilder
{
    public const string SqliteProvider = "SQLite.MS";

    /// <summary>linq2db's newest PostgreSQL dialect served with Npgsql 10; newer servers speak it too.</summary>
    public const string PostgresProvider = "PostgreSQL.15";

    public const string JournalPluginId = "akka.persistence.journal.sql";
    public const string SnapshotPluginId = "akka.persistence.snapshot-store.sql";
    public const string ReadJournalPluginId = "akka.persistence.query.journal.sql";

    public static Config Build(TopGunSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Storage.Kind switch
        {
            StorageKind.Sqlite => Build(SqliteProvider, SqliteConnectionString(settings), schema: null, SqliteTuning + CircuitBreaker(settings.Storage.CircuitBreaker)),
            StorageKind.Postgres => Build(PostgresProvider, settings.Storage.PostgresConnectionString, settings.Storage.PostgresSchema, PostgresTuning + CircuitBreaker(settings.Storage.CircuitBreaker)),
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Storage.Kind, "unknown storage kind"),
        };
    }

    /// <summary>
    /// SQLite has one write lock per file, and Microsoft.Data.Sqlite answers a busy lock by sleeping
    /// 150 ms before it retries, which stalls every write queued behind that transaction. Two plugin
    /// defaults made in-process lock conflicts routine: three journal writers in parallel, and read
    /// transactions opened as <c>BEGIN IMMEDIATE</c> (isolation "unspecified" maps to serializable),
    /// so every partition recovery took the write lock for its reads. One writer loses no throughput
    /// (the lock admits only one), and "read-uncommitted" opens reads with a plain <c>BEGIN</c>:
    /// without a shared cache SQLite ignores read_uncommitted, so a read is still a snapshot of
    /// committed data in WAL mode. Writes keep <c>BEGIN IMMEDIATE</c> and SQLite's default
    /// <c>synchronous</c> (FULL): a transaction is on disk before its events are acknowledged.
    /// </summary>
    private const string SqliteTuning = """
        parallelism = 1
        read-isolation-level = read-uncommitted
        """;

    /// <summary>
    /// The plugin's default writes a multi-row insert with every payload inlined as a bytea literal,
    /// which the server builds as hex text and PostgreSQL parses back; parameters skip both (about
    /// 10 % less server CPU per acknowledged op measured with the load generator).
    /// </summary>
    private const string PostgresTuning = "prefer-parameters-on-multirow-insert = true";

    /// <summary>Akka.Persistence reads these per plugin (journal and snapshot store alike).</summary>
    private static string CircuitBreaker(CircuitBreakerSettings breaker) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"\ncircuit-breaker.max-failures = {breaker.MaxFailures}\ncircuit-breaker.call-timeout = {(long)breaker.CallTimeout.TotalMilliseconds}ms\ncircuit-breaker.reset-timeout = {(long)breaker.ResetTimeout.TotalMilliseconds}ms");

    // Default busy timeout is kept on purpose: a short one makes a persist fail on a locked file and lose its events.
    public static string SqliteConnectionString(TopGunSettings settings) => $"Data Source={settings.SqlitePath}";

    /// <summary>A one-line description for logs; never contains a password.</summary>
    public static string Describe(TopGunSettings settings) => settings.Storage.Kind switch
    {
        StorageKind.Sqlite => $"sqlite ({settings.SqlitePath})",
        StorageKind.Postgres => $"postgres ({ConnectionStrings.Redact(settings.Storage.PostgresConnectionString)}; schema {settings.Storage.PostgresSchema})",
        _ => settings.Storage.Kind.ToString(),
    };

    private static Config Build(string provider, string connectionString, string? schema, string tuning)
    {
        var p = Quote(provider);
        var cs = Quote(connectionString);
        var schemaLine = schema is null ? "" : $"default.schema-name = {Quote(schema)}";
        var hocon = $$"""
            akka.persistence {
              journal {
                plugin = "{{JournalPluginId}}"
                sql {
                  class = "Akka.Persistence.Sql.Journal.SqlWriteJournal, Akka.Persistence.Sql"
                  provider-name = {{p}}
                  connection-string = {{cs}}
                  auto-initialize = on
                  {{schemaLine}}
                  {{tuning}}
                }
              }
              snapshot-store {
                plugin = "{{SnapshotPluginId}}"
                sql {
                  class = "Akka.Persistence.Sql.Snapshot.SqlSnapshotStore, Akka.Persistence.Sql"
                  provider-name = {{p}}
                  connection-string = {{cs}}
                  auto-initialize = on
                  {{schemaLine}}
                  {{tuning}}
                }
              }
              query.journal.sql {
                class = "Akka.Persistence.Sql.Query.SqlReadJournalProvider, Akka.Persistence.Sql"
                write-plugin = "{{JournalPluginId}}"
                provider-name = {{p}}
                connection-string = {{cs}}
                {{schemaLine}}
              }
            }
            """;
        return ConfigurationFactory.ParseString(hocon);
    }

    private static string Quote(string value) => JsonSerializer.Serialize(value);
}
