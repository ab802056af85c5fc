namespace TopGun.Client.Tests;

/// <summary>Client options for tests: fast reconnects, private database files that are deleted afterwards.</summary>
internal sealed class TestClients : IDisposable
{
    private readonly TempDirectory _dir = new("topgun-client-tests-");

    public string DbPath(string name = "client") => Path.Combine(_dir.Path, name + ".db");

    public static TopGunClientOptions InMemory() => new() { InMemoryStore = true, FlushInterval = TimeSpan.FromMilliseconds(2) };

    public TopGunClientOptions File(string name, Uri? server = null) => new()
    {
        DatabasePath = DbPath(name),
        ServerUrl = server,
        Token = "test-token",
        FlushInterval = TimeSpan.FromMilliseconds(2),
        BackoffInitial = TimeSpan.FromMilliseconds(50),
        BackoffMax = TimeSpan.FromMilliseconds(500),
    };

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }
}
