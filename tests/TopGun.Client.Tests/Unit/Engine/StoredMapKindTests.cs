using Microsoft.Data.Sqlite;
using TopGun.Client.Storage;
using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Values;

namespace TopGun.Client.Tests.Unit.Engine;

/// <summary>The <c>maps.kind</c> column keeps the numbers every existing local store was written with: 1 is LWW, 2 is OR.</summary>
public sealed class StoredMapKindTests : IDisposable
{
    private readonly TestClients _clients = new();

    [Fact]
    public async Task A_store_written_with_kind_1_for_lww_and_2_for_or_opens_with_both_maps_and_their_data()
    {
        var options = _clients.File("old-numbers") with { ServerUrl = null };
        WriteOldStore(options.DatabasePath);

        await using var client = new TopGunClient(options);
        Assert.Equal(Value.Of("milk"), client.GetMap("todos").Get("t1"));
        Assert.Equal([Value.Of("shop")], client.GetORMap("tags").Get("t1"));
        Assert.Throws<InvalidOperationException>(() => client.GetORMap("todos"));
        Assert.Throws<InvalidOperationException>(() => client.GetMap("tags"));
    }

    [Fact]
    public void A_registered_map_is_written_as_1_for_lww_and_2_for_or()
    {
        var path = _clients.DbPath("new-numbers");
        using (var store = SqliteLocalStore.Open(path))
            store.Apply([new StoreWork.RegisterMap("todos", MapKind.Lww), new StoreWork.RegisterMap("tags", MapKind.Or)], new Timestamp(1, 0, "c1"), 0);

        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT name, kind FROM maps ORDER BY name";
        using var r = cmd.ExecuteReader();
        var rows = new List<(string, long)>();
        while (r.Read()) rows.Add((r.GetString(0), r.GetInt64(1)));
        Assert.Equal([("tags", 2L), ("todos", 1L)], rows);
    }

    [Fact]
    public void A_kind_no_client_ever_wrote_is_refused_rather_than_read_as_some_map()
    {
        var path = _clients.DbPath("bad-number");
        using (SqliteLocalStore.Open(path)) { }
        Execute(path, "INSERT INTO maps (name, kind, last_sync) VALUES ('odd', 3, 0)");
        using var store = SqliteLocalStore.Open(path);
        Assert.Throws<InvalidDataException>(() => store.Load());
    }

    /// <summary>The tables as every client so far created them, filled by hand with the old numbers.</summary>
    private static void WriteOldStore(string path)
    {
        Execute(path, """
            CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT NOT NULL) WITHOUT ROWID;
            CREATE TABLE maps (name TEXT PRIMARY KEY, kind INTEGER NOT NULL, last_sync INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
            CREATE TABLE ops (id INTEGER PRIMARY KEY, frame BLOB NOT NULL);
            CREATE TABLE lww_records (map TEXT NOT NULL, key TEXT NOT NULL, data BLOB NOT NULL, PRIMARY KEY (map, key)) WITHOUT ROWID;
            CREATE TABLE or_records (map TEXT NOT NULL, tag TEXT NOT NULL, key TEXT NOT NULL, data BLOB NOT NULL, PRIMARY KEY (map, tag)) WITHOUT ROWID;
            CREATE TABLE or_tombstones (map TEXT NOT NULL, tag TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (map, tag)) WITHOUT ROWID;
            INSERT INTO meta (k, v) VALUES ('node_id', 'c-old');
            INSERT INTO maps (name, kind, last_sync) VALUES ('todos', 1, 0), ('tags', 2, 0);
            """);
        var ts = new Timestamp(1_700_000_000_000, 0, "c-old");
        Execute(path, "INSERT INTO lww_records (map, key, data) VALUES ('todos', 't1', $d)", RecordCodec.Encode(new LwwRecord(Value.Of("milk"), ts)));
        Execute(path, "INSERT INTO or_records (map, tag, key, data) VALUES ('tags', 'tag-1', 't1', $d)", RecordCodec.Encode(new OrMapRecord(Value.Of("shop"), ts, "tag-1")));
    }

    private static void Execute(string path, string sql, byte[]? data = null)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        if (data is not null) cmd.Parameters.AddWithValue("$d", data);
        cmd.ExecuteNonQuery();
    }

    public void Dispose() => _clients.Dispose();
}
