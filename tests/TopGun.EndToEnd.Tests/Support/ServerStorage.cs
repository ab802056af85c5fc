namespace TopGun.EndToEnd.Tests.Support;

/// <summary>
/// Where a test server keeps its data: a temp data dir always (node id, SQLite file), plus a fresh
/// PostgreSQL schema for the PostgreSQL runs, so repeated and concurrent runs never share state.
/// Restarting a server on the same <see cref="ServerStorage"/> reopens the same data.
/// </summary>
public sealed class ServerStorage : IAsyncDisposable
{
    public const string JwtSecret = "end-to-end-test-secret-0123456789abcdef";

    private readonly TestPostgres? _postgres;
    private readonly TempDirectory _dataDir = new("topgun-e2e-");

    private ServerStorage(string kind, TestPostgres? postgres)
    {
        Kind = kind;
        _postgres = postgres;
    }

    public string Kind { get; }

    public string DataDir => _dataDir.Path;

    public static ServerStorage Sqlite() => new("sqlite", null);

    /// <summary>Fails (never skips) without TOPGUN_TEST_POSTGRES, saying how to get a server.</summary>
    public static ServerStorage Postgres() =>
        new("postgres", TestPostgres.Create("tg_e2e_", "the PostgreSQL end-to-end tests cannot run"));

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
            env["TOPGUN_POSTGRES"] = _postgres.ConnectionString;
            env["TOPGUN_POSTGRES_SCHEMA"] = _postgres.Schema;
        }
        return env;
    }

    public Task<ServerProcess> StartServerAsync() => ServerProcess.StartAsync(Environment());

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null) await _postgres.DisposeAsync();
        _dataDir.Dispose();
    }
}
