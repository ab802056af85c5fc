using TopGun.Server.Configuration;
using TopGun.Server.Tests.Support;

namespace TopGun.Server.Tests.Maps;

/// <summary>Needs TOPGUN_TEST_POSTGRES (scripts/test.sh provides it); fails with instructions otherwise.</summary>
public sealed class PostgresPartitionRecoveryTests : PartitionRecoveryTests, IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private TestPostgres? _postgres;
    private NodeConfiguration? _node;

    public Task InitializeAsync() => Task.CompletedTask;

    protected override Task<NodeConfiguration> NodeAsync()
    {
        _postgres ??= TestPostgres.Create();
        return Task.FromResult(_node ??= TestNode.LocalPersistence(TestNode.Environment(
            _dir.Path,
            ("TOPGUN_STORAGE", "postgres"),
            ("TOPGUN_POSTGRES", _postgres.ConnectionString),
            ("TOPGUN_POSTGRES_SCHEMA", _postgres.Schema))));
    }

    public async Task DisposeAsync()
    {
        if (_postgres is not null) await _postgres.DisposeAsync();
        _dir.Dispose();
    }
}
