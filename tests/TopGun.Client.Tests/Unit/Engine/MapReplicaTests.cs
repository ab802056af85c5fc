using TopGun.Client.Replica;
using TopGun.Client.Storage;
using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Protocol;
using TopGun.Core.Values;

namespace TopGun.Client.Tests.Unit.Engine;

/// <summary>What the sync engine asks of a map through <see cref="IMapReplica"/>, for both kinds.</summary>
public sealed class MapReplicaTests : IAsyncDisposable
{
    private static readonly Timestamp Ts = new(1_700_000_000_000, 0, "server");
    private readonly SqliteLocalStore _store = SqliteLocalStore.Open(null);
    private readonly Hlc _clock = new("c1");
    private readonly StoreWriter _writer;

    public MapReplicaTests() => _writer = new StoreWriter(_store, _clock, () => 0, TimeSpan.FromMilliseconds(2), _ => { });

    [Fact]
    public void An_lww_replica_applies_updated_events_and_ignores_or_events()
    {
        IMapReplica replica = new LwwReplica("m", _clock, _writer);
        replica.ApplyServerEvent(new ServerEventPayload("m", "a", "UPDATED", Record: new LwwRecord(Value.Of("x"), Ts)));
        replica.ApplyServerEvent(new ServerEventPayload("m", "b", "OR_ADD", Record: new LwwRecord(Value.Of("y"), Ts), OrRecord: new OrMapRecord(Value.Of("y"), Ts, "t1")));
        replica.ApplyServerEvent(new ServerEventPayload("m", "c", "OR_REMOVE", Record: new LwwRecord(Value.Of("z"), Ts), OrTag: "t1"));
        var lww = (LwwReplica)replica;
        Assert.Equal(Value.Of("x"), lww.Get("a"));
        Assert.Null(lww.Get("b"));
        Assert.Null(lww.Get("c"));
    }

    [Fact]
    public void An_or_replica_applies_adds_and_removes_and_ignores_lww_events()
    {
        IMapReplica replica = new OrReplica("m", _clock, _writer);
        replica.ApplyServerEvent(new ServerEventPayload("m", "a", "OR_ADD", OrRecord: new OrMapRecord(Value.Of("x"), Ts, "t1")));
        replica.ApplyServerEvent(new ServerEventPayload("m", "a", "OR_ADD", OrRecord: new OrMapRecord(Value.Of("y"), Ts, "t2")));
        replica.ApplyServerEvent(new ServerEventPayload("m", "a", "OR_REMOVE", OrTag: "t2"));
        replica.ApplyServerEvent(new ServerEventPayload("m", "b", "UPDATED", Record: new LwwRecord(Value.Of("z"), Ts)));
        var or = (OrReplica)replica;
        Assert.Equal([Value.Of("x")], or.Get("a"));
        Assert.Empty(or.Get("b"));
    }

    [Fact]
    public void A_reset_forgets_the_server_state_and_keeps_the_unacknowledged_writes()
    {
        var lww = new LwwReplica("m", _clock, _writer);
        lww.MergeRemote("server", new LwwRecord(Value.Of("s"), Ts));
        var local = new LwwRecord(Value.Of("mine"), Ts with { NodeId = "c1" });
        ((IMapReplica)lww).ResetKeeping([new ClientOp("m", "local", "1", "PUT", Record: local)]);
        Assert.Null(lww.Get("server"));
        Assert.Equal(Value.Of("mine"), lww.Get("local"));

        var or = new OrReplica("o", _clock, _writer);
        or.ApplyRemote("server", new OrMapRecord(Value.Of("s"), Ts, "s1"));
        or.ApplyRemote("gone", new OrMapRecord(Value.Of("g"), Ts, "g1"));
        ((IMapReplica)or).ResetKeeping(
        [
            new ClientOp("o", "local", "1", "OR_ADD", OrRecord: new OrMapRecord(Value.Of("mine"), Ts, "l1")),
            new ClientOp("o", "local", "2", "OR_ADD", OrRecord: new OrMapRecord(Value.Of("also"), Ts, "l2")),
            new ClientOp("o", "local", "3", "OR_REMOVE", OrTag: "l2"),
        ]);
        Assert.Empty(or.Get("server"));
        Assert.Equal([Value.Of("mine")], or.Get("local"));
    }

    [Fact]
    public void Each_kind_opens_and_walks_its_pull_with_its_own_frames()
    {
        var lww = new LwwReplica("m", _clock, _writer, lastSyncTimestamp: 42);
        lww.SetLocal("a", Value.Of(1.0), null);
        Assert.Equal(new SyncInitMessage("m", 42), ((IMapReplica)lww).SyncInit());
        Assert.Equal(new MerkleReqBucketMessage("m", "ab"), ((IMapReplica)lww).BucketRequest("ab"));
        Assert.False(((IMapReplica)lww).WalksLocalOnlyBuckets);

        var or = new OrReplica("o", _clock, _writer, lastSyncTimestamp: 7);
        or.AddLocal("a", Value.Of(1.0), null);
        var init = Assert.IsType<OrMapSyncInitMessage>(((IMapReplica)or).SyncInit());
        Assert.Equal(or.RootHash, init.RootHash);
        Assert.Equal(7, init.LastSyncTimestamp);
        Assert.Equal(or.GetBuckets("").Select(b => new KeyValuePair<string, uint>(b.Key.ToString(), b.Value)), init.BucketHashes.Entries.ToArray());
        Assert.Equal(new OrMapMerkleReqBucketMessage("o", "ab"), ((IMapReplica)or).BucketRequest("ab"));
        Assert.True(((IMapReplica)or).WalksLocalOnlyBuckets);
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        _store.Dispose();
    }
}
