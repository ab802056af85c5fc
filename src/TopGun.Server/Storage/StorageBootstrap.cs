using Microsoft.Data.Sqlite;
using Npgsql;
using TopGun.Server.Configuration;

namespace TopGun.Server.Storage;

/// <summary>One-off preparation of the database before the ActorSystem (and its journal) starts.</summary>
internal static class StorageBootstrap
{
    public static async Task PrepareAsync(TopGunSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        switch (settings.Storage.Kind)
        {
            case StorageKind.Sqlite:
                await EnableSqliteWalAsync(settings.SqlitePath, cancellationToken).ConfigureAwait(false);
                break;
            case StorageKind.Postgres:
                await EnsurePostgresSchemaAsync(settings.Storage.PostgresConnectionString, settings.Storage.PostgresSchema, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>
    /// WAL roughly triples single-writer persist throughput. It cannot go in the connection string (the
    /// journal then retries forever instead of failing), and it sticks to the file once set.
    /// </summary>
    public static async Task EnableSqliteWalAsync(string path, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        var mode = (string?)await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            throw new TopGunConfigurationException($"SQLite refused WAL mode for {path} (got '{mode}'); is the file on a network share?");
    }

    /// <summary>auto-initialize creates tables but not the schema they live in.</summary>
    public static async Task EnsurePostgresSchemaAsync(string connectionString, string schema, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException e)
        {
            throw new TopGunConfigurationException(
                $"Cannot connect to PostgreSQL ({ConnectionStrings.Redact(connectionString)}): {e.Message}", e);
        }
        await using var command = connection.CreateCommand();
        // The schema name is validated as a plain identifier by TopGunSettings, so quoting it is safe.
        command.CommandText = $"CREATE SCHEMA IF NOT EXISTS \"{schema}\"";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
