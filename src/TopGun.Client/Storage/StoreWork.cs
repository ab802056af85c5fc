using TopGun.Core.Crdt;

namespace TopGun.Client.Storage;

/// <summary>
/// A change for the local store, queued by writers on any thread and applied by the store writer in
/// one transaction per flush. A closed family.
/// </summary>
internal abstract record StoreWork
{
    public sealed record AppendOp(PendingOp Op) : StoreWork;
    public sealed record DeleteOps(IReadOnlyList<long> Ids) : StoreWork;
    public sealed record PutLww(string Map, string Key, LwwRecord Record) : StoreWork;
    public sealed record DeleteLww(string Map, string Key) : StoreWork;
    public sealed record PutOr(string Map, string Key, OrMapRecord Record) : StoreWork;
    public sealed record DeleteOr(string Map, string Tag) : StoreWork;
    public sealed record PutOrTombstone(string Map, string Key, string Tag) : StoreWork;
    public sealed record DeleteOrTombstone(string Map, string Tag) : StoreWork;
    public sealed record RegisterMap(string Map, MapKind Kind) : StoreWork;
    public sealed record SetLastSync(string Map, long LastSyncTimestamp) : StoreWork;
    public sealed record ClearMap(string Map) : StoreWork;
    public sealed record Barrier(TaskCompletionSource Done) : StoreWork;
}
