using TopGun.Client.Tests.Sync;
using TopGun.Client.Tests.TestPeer;

namespace TopGun.Client.Tests.RealServer;

/// <summary>The sync contract against the real TopGun.Server process (SQLite storage, signed JWTs).</summary>
public sealed class RealServerSyncTests(RealServerFixture server) : SyncContractTests, IClassFixture<RealServerFixture>
{
    protected override string ValidToken => RealServerFixture.UserToken;

    protected override Task<ISyncTestServer> StartServerAsync() => Task.FromResult(server.Shared);
}
