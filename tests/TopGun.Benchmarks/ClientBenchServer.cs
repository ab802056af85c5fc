namespace TopGun.Benchmarks;

/// <summary>
/// The built TopGun.Server (Release) as a child process with SQLite in a temp data dir, for the
/// client's end-to-end benchmarks. Set TOPGUN_SERVER_DLL to use another build.
/// </summary>
public sealed class ClientBenchServer : IAsyncDisposable
{
    private const string Secret = "client-benchmark-secret-0123456789abcdef";

    private readonly ServerProcess _process;
    private readonly TempDirectory _dataDir;

    private ClientBenchServer(ServerProcess process, TempDirectory dataDir)
    {
        _process = process;
        _dataDir = dataDir;
    }

    public Uri Url => _process.Address;

    /// <summary>Long-lived: a benchmark run with its warm-ups outlasts the tests' one-hour tokens.</summary>
    public string Token { get; } = TestTokens.Mint(Secret, "client-benchmark", TimeSpan.FromHours(6), "USER");

    public static async Task<ClientBenchServer> StartAsync()
    {
        var dataDir = new TempDirectory("topgun-client-bench-");
        try
        {
            var process = await ServerProcess.StartAsync(new Dictionary<string, string>
            {
                ["TOPGUN_DATA_DIR"] = dataDir.Path,
                ["TOPGUN_STORAGE"] = "sqlite",
                ["TOPGUN_JWT_SECRET"] = Secret,
            });
            return new ClientBenchServer(process, dataDir);
        }
        catch
        {
            dataDir.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        _dataDir.Dispose();
    }
}
