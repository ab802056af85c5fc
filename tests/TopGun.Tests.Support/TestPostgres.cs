using Npgsql;
using Xunit;

namespace TopGun.Tests.Support;

/// <summary>
/// The PostgreSQL server the integration tests use, from TOPGUN_TEST_POSTGRES. Each user gets its own
/// schema so concurrent and repeated runs never see each other's tables; dispose drops it.
/// </summary>
public sealed class TestPostgres : IAsyncDisposable
{
    public const string Variable = "TOPGUN_TEST_POSTGRES";

    private TestPostgres(string connectionString, string schema)
    {
        ConnectionString = connectionString;
        Schema = schema;
    }

    public string ConnectionString { get; }

    public string Schema { get; }

    /// <summary>
    /// Fails (never skips) when no server is configured, saying how to get one.
    /// </summary>
    /// <param name="schemaPrefix">Names the suite in the schema, so a leftover schema says who left it.</param>
    /// <param name="whatCannotRun">Completes "TOPGUN_TEST_POSTGRES is not set, so …" in the failure.</param>
    public static TestPostgres Create(string schemaPrefix = "tg_test_", string whatCannotRun = "the PostgreSQL tests cannot run")
    {
        var cs = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(cs))
        {
            Assert.Fail(
                $"{Variable} is not set, so {whatCannotRun}. Run scripts/test.sh (it starts a throwaway server), " +
                $"or start one yourself: `source scripts/lib.sh; root=$PWD; ensure_postgres; echo ${Variable}` and export that value.");
        }
        return new TestPostgres(cs!, schemaPrefix + Guid.NewGuid().ToString("n")[..12]);
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE", connection);
        await command.ExecuteNonQueryAsync();
    }
}
