using Npgsql;

namespace TopGun.EndToEnd.Tests.Support;

/// <summary>
/// Where a test server keeps its data: a temp data dir always (node id, SQLite file), plus a fresh
/// PostgreSQL schema for the PostgreSQL runs, so repeated and concurrent runs never share state.
/// Restarting a server on the same <see cref="ServerStorage"/> reopens the same data.
/// </summary>
public sealed class ServerStorage : IAsyncDisposable
{
    public const string PostgresVariable = "TOPGUN_TEST_POSTGRES";
    public const string JwtSecret = "end-to-end-test-secret-0123456789abcdef";

    private readonly string? _postgres;
    private readonly string? _schema;

    private ServerStorage(string kind, string? postgres, string? schema)
    {
        Kind = kind;
        _postgres = postgres;
        _schema = schema;
        DataDir = Path.Combine(Path.GetTempPath(), "topgun-e2e-" + Guid.NewGuid().ToString("n")[..12]);
        Directory.CreateDirectory(DataDir);
    }

    public string Kind { get; }

    public string DataDir { get; }

    public static ServerStorage Sqlite() => new("sqlite", null, null);

    /// <summary>Fails (never skips) without TOPGUN_TEST_POSTGRES, saying how to get a server.</summary>
    public static ServerStorage Postgres()
    {
        var cs = System.Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrWhiteSpace(cs))
        {
            Assert.Fail(
                $"{PostgresVariable} is not set, so the PostgreSQL end-to-end tests cannot run. Run scripts/test.sh (it starts a " +
                $"throwaway server), or start one yourself: `source scripts/lib.sh; root=$PWD; ensure_postgres; echo ${PostgresVariable}` " +
                "and export that value.");
        }
        return new ServerStorage("postgres", cs, "tg_e2e_" + Guid.NewGuid().ToString("n")[..12]);
    }

    /// <summary>The server's environment for this storage.</summary>
    public IReadOnlyDictionary<string, string> Environment()
    {
        var env = new Dictionary<string, string>
        {
            ["TOPGUN_DATA_DIR"] = DataDir,
            ["TOPGUN_JWT_SECRET"] = JwtSecret,
            ["TOPGUN_NODE_ID"] = "e2e-node",
            ["TOPGUN_STORAGE"] = Kind,
        };
        if (_postgres is not null)
        {
            env["TOPGUN_POSTGRES"] = _postgres;
            env["TOPGUN_POSTGRES_SCHEMA"] = _schema!;
        }
        return env;
    }

    public Task<ServerProcess> StartServerAsync() => ServerProcess.StartAsync(Environment());

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await using var connection = new NpgsqlConnection(_postgres);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE", connection);
            await command.ExecuteNonQueryAsync();
        }
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // A file the killed server held may linger briefly; the OS temp cleaner gets it.
        }
    }
}
