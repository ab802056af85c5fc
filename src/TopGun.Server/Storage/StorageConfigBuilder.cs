using System.Text.Json;
using Akka.Configuration;
using TopGun.Server.Configuration;

namespace TopGun.Server.Storage;

/// <summary>
/// The Akka.Persistence.Sql journal, snapshot store and read journal for the configured storage.
/// The <c>class</c> lines are spelled out because a plain ActorSystem does not load the plugin's
/// defaults until a plugin with a class is found.
/// </summary>
public static class StorageConfigBuilder
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
            StorageKind.Sqlite => Build(SqliteProvider, SqliteConnectionString(settings), schema: null),
            StorageKind.Postgres => Build(PostgresProvider, settings.Storage.PostgresConnectionString, settings.Storage.PostgresSchema),
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Storage.Kind, "unknown storage kind"),
        };
    }

    // Default busy timeout is kept on purpose: a short one makes a persist fail on a locked file and lose its events.
    public static string SqliteConnectionString(TopGunSettings settings) => $"Data Source={settings.SqlitePath}";

    /// <summary>A one-line description for logs; never contains a password.</summary>
    public static string Describe(TopGunSettings settings) => settings.Storage.Kind switch
    {
        StorageKind.Sqlite => $"sqlite ({settings.SqlitePath})",
        StorageKind.Postgres => $"postgres ({ConnectionStrings.Redact(settings.Storage.PostgresConnectionString)}; schema {settings.Storage.PostgresSchema})",
        _ => settings.Storage.Kind.ToString(),
    };

    private static Config Build(string provider, string connectionString, string? schema)
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
