using TopGun.Client.Tests.TestPeer;

namespace TopGun.Client.Tests.RealServer;

/// <summary>
/// One real server per test class: SQLite in a temp data dir, an HS256 secret, a port chosen up front.
/// Dropping connections kills the process and starts it again on the same port and data dir, so
/// clients see a server crash and reconnect to the same URL. Tests get a non-owning view
/// (<see cref="Shared"/>) whose disposal leaves the server running for the next test.
/// </summary>
public sealed class RealServerFixture : IAsyncLifetime
{
    public const string JwtSecret = "client-real-server-test-secret-0123456789abcdef";

    private readonly TempDirectory _dataDir = new("topgun-client-real-");
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly int _port = ServerProcess.FreePort();
    private ServerProcess? _server;

    public RealServerFixture()
    {
        Url = new Uri($"ws://127.0.0.1:{_port}/");
        Shared = new SharedView(this);
    }

    public Uri Url { get; }

    public ISyncTestServer Shared { get; }

    public static string UserToken { get; } = TestTokens.Mint(JwtSecret, "client-contract-user", "USER");

    public async Task InitializeAsync() => _server = await StartAsync();

    public Task DropConnectionsAsync() => CrashAndRestartAsync();

    /// <summary>Kills the server with SIGKILL, then starts it again on the same port and data dir; returns the killed process's exit code.</summary>
    public async Task<int> CrashAndRestartAsync()
    {
        await _gate.WaitAsync();
        try
        {
            var exitCode = 0;
            if (_server is not null)
            {
                exitCode = await _server.KillAsync();
                await _server.DisposeAsync();
            }
            _server = await StartAsync();
            return exitCode;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The manifests of the journaled events of one persistence id, in sequence order, read from the server's
    /// SQLite journal (read-only; the WAL lets it run beside the server's writer). An event is here once the
    /// entity persisted it, so it is what the entity acts on next.
    /// </summary>
    public IReadOnlyList<string> JournaledEvents(string persistenceId)
    {
        var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(_dataDir.Path, "topgun.db"),
            Mode = Microsoft.Data.Sqlite.SqliteOpenMode.ReadOnly,
            Pooling = false,
        };
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection(builder.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT manifest FROM journal WHERE persistence_id = $id ORDER BY sequence_number";
        command.Parameters.AddWithValue("$id", persistenceId);
        using var reader = command.ExecuteReader();
        var manifests = new List<string>();
        while (reader.Read()) manifests.Add(reader.GetString(0));
        return manifests;
    }

    private Task<ServerProcess> StartAsync() => ServerProcess.StartAsync(new Dictionary<string, string>
    {
        ["TOPGUN_HOST"] = "127.0.0.1",
        ["TOPGUN_PORT"] = _port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["TOPGUN_CLUSTER_PORT"] = "0",
        ["TOPGUN_DATA_DIR"] = _dataDir.Path,
        ["TOPGUN_STORAGE"] = "sqlite",
        ["TOPGUN_NODE_ID"] = "client-contract-node",
        ["TOPGUN_JWT_SECRET"] = JwtSecret,
    });

    public async Task DisposeAsync()
    {
        await _gate.WaitAsync();
        if (_server is not null) await _server.DisposeAsync();
        _dataDir.Dispose();
    }

    private sealed class SharedView(RealServerFixture owner) : ISyncTestServer
    {
        public Uri Url => owner.Url;

        public Task DropConnectionsAsync() => owner.DropConnectionsAsync();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
