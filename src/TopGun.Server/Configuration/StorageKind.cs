namespace TopGun.Server.Configuration;

public enum StorageKind
{
    /// <summary>Embedded SQLite file in the data dir: zero setup, single node.</summary>
    Sqlite,

    /// <summary>A shared PostgreSQL database: what a multi-node cluster needs.</summary>
    Postgres,
}
