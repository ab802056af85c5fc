using Microsoft.Data.Sqlite;
using TopGun.Server.Configuration;
using TopGun.Server.Tests.Support;

namespace TopGun.Server.Tests.Storage;

public sealed class SqlitePersistenceTests : PersistenceSmokeTests, IDisposable
{
    private readonly TempDirectory _dir = new();
    private NodeConfiguration? _node;

    protected override Task<NodeConfiguration> NodeAsync() =>
        Task.FromResult(_node ??= TestNode.LocalPersistence(TestNode.Environment(_dir.Path)));

    protected override async Task<long> CountJournalRowsAsync(string persistenceId, int serializerId)
    {
        await using var connection = new SqliteConnection($"Data Source={_node!.Settings.SqlitePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM journal WHERE persistence_id = $id AND identifier = $serializer";
        command.Parameters.AddWithValue("$id", persistenceId);
        command.Parameters.AddWithValue("$serializer", serializerId);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task The_database_file_runs_in_wal_mode_after_startup_preparation()
    {
        var node = await NodeAsync();
        await Server.Storage.StorageBootstrap.PrepareAsync(node.Settings, CancellationToken.None);

        await using var connection = new SqliteConnection($"Data Source={node.Settings.SqlitePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";

        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }
}
