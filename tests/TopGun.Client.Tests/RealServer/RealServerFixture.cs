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

    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "topgun-client-real-" + Guid.NewGuid().ToString("n")[..12]);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly int _port = ServerProcess.FreePort();
    private ServerProcess? _server;

    public RealServerFixture()
    {
        Directory.CreateDirectory(_dataDir);
        Url = new Uri($"ws://127.0.0.1:{_port}/");
        Shared = new SharedView(this);
    }

    public Uri Url { get; }

    public ISyncTestServer Shared { get; }

    public static string UserToken { get; } = TestJwt.Mint(JwtSecret, "client-contract-user", "USER");

    public async Task InitializeAsync() => _server = await StartAsync();

    public async Task DropConnectionsAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_server is not null) await _server.DisposeAsync();
            _server = await StartAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    private Task<ServerProcess> StartAsync() => ServerProcess.StartAsync(new Dictionary<string, string>
    {
        ["TOPGUN_HOST"] = "127.0.0.1",
        ["TOPGUN_PORT"] = _port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["TOPGUN_CLUSTER_PORT"] = "0",
        ["TOPGUN_DATA_DIR"] = _dataDir,
        ["TOPGUN_STORAGE"] = "sqlite",
        ["TOPGUN_NODE_ID"] = "client-contract-node",
        ["TOPGUN_JWT_SECRET"] = JwtSecret,
    });

    public async Task DisposeAsync()
    {
        await _gate.WaitAsync();
        if (_server is not null) await _server.DisposeAsync();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
            // A file the killed server held may linger briefly; the OS temp cleaner gets it.
        }
    }

    private sealed class SharedView(RealServerFixture owner) : ISyncTestServer
    {
        public Uri Url => owner.Url;

        public Task DropConnectionsAsync() => owner.DropConnectionsAsync();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
