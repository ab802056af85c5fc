using TopGun.Server.Configuration;
using TopGun.Server.Tests.Support;

namespace TopGun.Server.Tests.Storage;

/// <summary>Needs TOPGUN_TEST_POSTGRES (scripts/test.sh provides it); fails with instructions otherwise.</summary>
public sealed class PostgresPersistenceTests : PersistenceSmokeTests, IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private TestPostgres? _postgres;

    public Task InitializeAsync() => Task.CompletedTask;

    protected override Task<NodeConfiguration> NodeAsync()
    {
        _postgres ??= TestPostgres.Create();
        return Task.FromResult(TestNode.LocalPersistence(TestNode.Environment(
            _dir.Path,
            ("TOPGUN_STORAGE", "postgres"),
            ("TOPGUN_POSTGRES", _postgres.ConnectionString),
            ("TOPGUN_POSTGRES_SCHEMA", _postgres.Schema))));
    }

    protected override Task<long> CountJournalRowsAsync(string persistenceId, int serializerId) =>
        _postgres!.ScalarAsync(
            $"SELECT COUNT(*) FROM \"{_postgres.Schema}\".journal WHERE persistence_id = '{persistenceId}' AND identifier = {serializerId}");

    public async Task DisposeAsync()
    {
        if (_postgres is not null) await _postgres.DisposeAsync();
        _dir.Dispose();
    }
}
