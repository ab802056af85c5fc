namespace TopGun.Server.Configuration;

/// <summary>Where the journal and snapshots live (<c>topgun.storage</c>).</summary>
public sealed record StorageSettings(
    StorageKind Kind,
    string SqliteFile,
    string PostgresConnectionString,
    string PostgresSchema)
{
    public CircuitBreakerSettings CircuitBreaker { get; init; } = CircuitBreakerSettings.Default;

    public StorageSettings WithKind(StorageKind kind) => this with { Kind = kind };

    public StorageSettings WithSqliteFile(string path) => this with { SqliteFile = path };

    public StorageSettings WithPostgres(string connectionString, string schema = "public") =>
        this with { Kind = StorageKind.Postgres, PostgresConnectionString = connectionString, PostgresSchema = schema };
}
