using Npgsql;

namespace TopGun.Cluster.Tests.Support;

/// <summary>
/// The shared PostgreSQL a test cluster's nodes journal into, from TOPGUN_TEST_POSTGRES; one fresh schema
/// per cluster so runs never see each other's tables. Fails (never skips) without a server.
/// </summary>
public sealed class ClusterPostgres : IAsyncDisposable
{
    public const string Variable = "TOPGUN_TEST_POSTGRES";

    private ClusterPostgres(string connectionString, string schema)
    {
        ConnectionString = connectionString;
        Schema = schema;
    }

    public string ConnectionString { get; }

    public string Schema { get; }

    public static ClusterPostgres Create()
    {
        var cs = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(cs))
        {
            Assert.Fail(
                $"{Variable} is not set, so the cluster tests cannot run (a cluster needs shared PostgreSQL storage). Run scripts/test.sh " +
                $"(it starts a throwaway server), or `source scripts/lib.sh; root=$PWD; ensure_postgres; echo ${Variable}` and export that value.");
        }
        return new ClusterPostgres(cs!, "tg_cluster_" + Guid.NewGuid().ToString("n")[..12]);
    }

    public async ValueTask DisposeAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE", connection);
        await command.ExecuteNonQueryAsync();
    }
}
