using TopGun.Server.Configuration;
using TopGun.Server.Tests.Support;

namespace TopGun.Server.Tests.Maps;

public sealed class SqlitePartitionRecoveryTests : PartitionRecoveryTests, IDisposable
{
    private readonly TempDirectory _dir = new();
    private NodeConfiguration? _node;

    protected override Task<NodeConfiguration> NodeAsync() =>
        Task.FromResult(_node ??= TestNode.LocalPersistence(TestNode.Environment(_dir.Path)));

    public void Dispose() => _dir.Dispose();
}
