namespace TopGun.Client.Tests.RealServer;

/// <summary>The clients one test opens against the real server, each on its own database file; disposed together.</summary>
internal sealed class RealServerClients(RealServerFixture server) : IAsyncDisposable
{
    private readonly TestClients _files = new();
    private readonly List<TopGunClient> _open = [];

    public TopGunClient Open(string name)
    {
        var client = new TopGunClient(_files.File(name, server.Url) with { Token = RealServerFixture.UserToken });
        _open.Add(client);
        return client;
    }

    /// <summary>Disposes one client now: its connection closes, so it can feed the server nothing more.</summary>
    public async Task CloseAsync(TopGunClient client)
    {
        _open.Remove(client);
        await client.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _open) await client.DisposeAsync();
        _files.Dispose();
    }
}
