using TopGun.Server.Configuration;
using TopGun.Server.Tests.Support;

namespace TopGun.Server.Tests.Hosting;

/// <summary>Joining through TOPGUN_SEED_NODES on PostgreSQL is covered by TopGun.Cluster.Tests (three nodes, one shared journal).</summary>
public sealed class ClusterJoinTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void A_node_with_seed_nodes_refuses_embedded_sqlite_storage()
    {
        var env = TestNode.Environment(_dir.Path, [("TOPGUN_NODE_ID", "second"), ("TOPGUN_SEED_NODES", "127.0.0.1:4053")]);
        var error = Assert.Throws<TopGunConfigurationException>(() => NodeConfigurationLoader.Load(env));
        Assert.Contains("TOPGUN_STORAGE=postgres", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();
}
