using TopGun.Core.Crdt;
using System.Globalization;
using Microsoft.Data.Sqlite;
using TopGun.Core.Clock;
using TopGun.Core.Protocol;

namespace TopGun.Client.Storage;

/// <summary>
/// The client's durable state in one SQLite database: the op log (<c>ops</c>), the replica
/// (<c>lww_records</c> and <c>or_records</c> keyed by map and key/tag — one table per CRDT kind with
/// the map name in the key rather than a table per map, so maps need no DDL), OR tombstones with the
/// key they belong to, per-map sync state and client metadata (node id, last op id, HLC).
/// The file runs in WAL mode with <c>synchronous=NORMAL</c>: a committed flush survives a process
/// crash; an OS crash or power loss may lose the last flushes.
/// Single-threaded: after <see cref="Load"/>, only the <see cref="StoreWriter"/> touches it.
/// </summary>
internal sealed class SqliteLocalStore : IDisposable
{
    private readonly SqliteConnection _connection;

    private SqliteLocalStore(SqliteConnection connection) => _connection = connection;

    /// <summary>Opens (creating if needed) a database file, or a private in-memory database when <paramref name="path"/> is null.</summary>
    public static SqliteLocalStore Open(string? path)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = path ?? ":memory:", Pooling = false };
        var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        var store = new SqliteLocalStore(connection);
        store.Execute(path is null ? "PRAGMA journal_mode=MEMORY;" : "PRAGMA journal_mode=WAL;");
        store.Execute("PRAGMA synchronous=NORMAL;");
        store.Execute("""
            CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS maps (name TEXT PRIMARY KEY, kind INTEGER NOT NULL, last_sync INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS ops (id INTEGER PRIMARY KEY, frame BLOB NOT NULL);
            CREATE TABLE IF NOT EXISTS lww_records (map TEXT NOT NULL, key TEXT NOT NULL, data BLOB NOT NULL, PRIMARY KEY (map, key)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS or_records (map TEXT NOT NULL, tag TEXT NOT NULL, key TEXT NOT NULL, data BLOB NOT NULL, PRIMARY KEY (map, tag)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS or_tombstones (map TEXT NOT NULL, tag TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (map, tag)) WITHOUT ROWID;
            """);
        return store;
    }

    public StoreSnapshot Load()
    {
        var snapshot = new StoreSnapshot();
        using (var cmd = Command("SELECT k, v FROM meta"))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                var value = r.GetString(1);
                switch (r.GetString(0))
                {
                    case "node_id": snapshot.NodeId = value; break;
                    case "last_op_id": snapshot.LastOpId = long.Parse(value, CultureInfo.InvariantCulture); break;
                    case "hlc" when Timestamp.TryParse(value, out var ts): snapshot.ClockLast = ts; break;
                }
            }
        }

        var maps = new Dictionary<string, StoredMap>(StringComparer.Ordinal);
        using (var cmd = Command("SELECT name, kind, last_sync FROM maps"))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                var map = new StoredMap(r.GetString(0), MapKindColumn.FromColumn(r.GetInt32(1)), r.GetInt64(2));
                maps[map.Name] = map;
                snapshot.Maps.Add(map);
            }
        }
        using (var cmd = Command("SELECT map, key, data FROM lww_records"))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
                if (maps.TryGetValue(r.GetString(0), out var map))
                    map.LwwRecords.Add(new(r.GetString(1), RecordCodec.DecodeLww((byte[])r.GetValue(2))));
        }
        using (var cmd = Command("SELECT map, key, data FROM or_records"))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
                if (maps.TryGetValue(r.GetString(0), out var map))
                    map.OrRecords.Add(new(r.GetString(1), RecordCodec.DecodeOr((byte[])r.GetValue(2))));
        }
        using (var cmd = Command("SELECT map, key, tag FROM or_tombstones"))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
                if (maps.TryGetValue(r.GetString(0), out var map))
                    map.OrTombstones.Add(new(r.GetString(1), r.GetString(2)));
        }
        using (var cmd = Command("SELECT id, frame FROM ops ORDER BY id"))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                var id = r.GetInt64(0);
                if (WireCodec.Default.TryDecode((byte[])r.GetValue(1), out var message, out _) && message is ClientOpMessage op)
                    snapshot.PendingOps.Add(new PendingOp(id, op.Op));
                snapshot.LastOpId = Math.Max(snapshot.LastOpId, id);
            }
        }
        return snapshot;
    }

    public void SetMeta(string key, string value)
    {
        using var cmd = Command("INSERT INTO meta (k, v) VALUES ($k, $v) ON CONFLICT(k) DO UPDATE SET v = excluded.v");
        cmd.Parameters.AddWithValue("$k", key);
        cmd.Parameters.AddWithValue("$v", value);
        cmd.ExecuteNonQuery();
    }

    /// <summary>Applies a batch of work in one transaction together with the clock and op-id high-water marks.</summary>
    public void Apply(IReadOnlyList<StoreWork> batch, Timestamp clockLast, long lastOpId)
    {
        using var tx = _connection.BeginTransaction();
        foreach (var work in batch)
        {
            switch (work)
            {
                case StoreWork.AppendOp a:
                    Run(tx, "INSERT OR REPLACE INTO ops (id, frame) VALUES ($a, $b)", a.Op.Id, WireCodec.Encode(new ClientOpMessage(a.Op.Op)));
                    break;
                case StoreWork.DeleteOps d:
                    foreach (var id in d.Ids) Run(tx, "DELETE FROM ops WHERE id = $a", id);
                    break;
                case StoreWork.PutLww p:
                    Run(tx, "INSERT OR REPLACE INTO lww_records (map, key, data) VALUES ($a, $b, $c)", p.Map, p.Key, RecordCodec.Encode(p.Record));
                    break;
                case StoreWork.DeleteLww d:
                    Run(tx, "DELETE FROM lww_records WHERE map = $a AND key = $b", d.Map, d.Key);
                    break;
                case StoreWork.PutOr p:
                    Run(tx, "INSERT OR REPLACE INTO or_records (map, tag, key, data) VALUES ($a, $b, $c, $d)", p.Map, p.Record.Tag, p.Key, RecordCodec.Encode(p.Record));
                    break;
                case StoreWork.DeleteOr d:
                    Run(tx, "DELETE FROM or_records WHERE map = $a AND tag = $b", d.Map, d.Tag);
                    break;
                case StoreWork.PutOrTombstone t:
                    Run(tx, "INSERT OR REPLACE INTO or_tombstones (map, tag, key) VALUES ($a, $b, $c)", t.Map, t.Tag, t.Key);
                    break;
                case StoreWork.DeleteOrTombstone t:
                    Run(tx, "DELETE FROM or_tombstones WHERE map = $a AND tag = $b", t.Map, t.Tag);
                    break;
                case StoreWork.RegisterMap m:
                    Run(tx, "INSERT OR IGNORE INTO maps (name, kind, last_sync) VALUES ($a, $b, 0)", m.Map, MapKindColumn.ToColumn(m.Kind));
                    break;
                case StoreWork.SetLastSync s:
                    Run(tx, "UPDATE maps SET last_sync = $b WHERE name = $a", s.Map, s.LastSyncTimestamp);
                    break;
                case StoreWork.ClearMap c:
                    Run(tx, "DELETE FROM lww_records WHERE map = $a", c.Map);
                    Run(tx, "DELETE FROM or_records WHERE map = $a", c.Map);
                    Run(tx, "DELETE FROM or_tombstones WHERE map = $a", c.Map);
                    Run(tx, "UPDATE maps SET last_sync = 0 WHERE name = $a", c.Map);
                    break;
            }
        }
        Run(tx, "INSERT INTO meta (k, v) VALUES ('hlc', $a) ON CONFLICT(k) DO UPDATE SET v = excluded.v", clockLast.ToString());
        Run(tx, "INSERT INTO meta (k, v) VALUES ('last_op_id', $a) ON CONFLICT(k) DO UPDATE SET v = excluded.v", lastOpId.ToString(CultureInfo.InvariantCulture));
        tx.Commit();
    }

    public void Dispose() => _connection.Dispose();

    private readonly Dictionary<string, SqliteCommand> _prepared = new(StringComparer.Ordinal);
    private static readonly string[] ParameterNames = ["$a", "$b", "$c", "$d"];

    private void Run(SqliteTransaction tx, string sql, params object[] args)
    {
        if (!_prepared.TryGetValue(sql, out var cmd))
        {
            cmd = _connection.CreateCommand();
            cmd.CommandText = sql;
            for (var i = 0; i < args.Length; i++) cmd.Parameters.Add(new SqliteParameter(ParameterNames[i], null));
            _prepared[sql] = cmd;
        }
        cmd.Transaction = tx;
        for (var i = 0; i < args.Length; i++) cmd.Parameters[i].Value = args[i];
        cmd.ExecuteNonQuery();
    }

    private void Execute(string sql)
    {
        using var cmd = Command(sql);
        cmd.ExecuteNonQuery();
    }

    private SqliteCommand Command(string sql)
    {
        var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        return cmd;
    }
}
