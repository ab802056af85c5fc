namespace TopGun.Client.Tests.TestPeer;

/// <summary>
/// What the sync contract tests need from a server: its URL and a way to cut every connection (a
/// restart as the client sees it). The scripted peer implements it; an integration suite can wrap a
/// real server process (drop = kill and restart on the same port and data directory).
/// </summary>
public interface ISyncTestServer : IAsyncDisposable
{
    Uri Url { get; }

    Task DropConnectionsAsync();
}
