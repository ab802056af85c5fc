using Akka.Actor;
using Akka.Serialization;
using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Protocol;
using TopGun.Core.Queries;
using TopGun.Core.Values;
using TopGun.Server.Maps;
using TopGun.Server.Maps.Serialization;
using TopGun.Server.Tests.Support;
using TopGun.Server.Node;

namespace TopGun.Server.Tests.Maps;

public sealed class MapSerializerTests : IAsyncLifetime
{
    private static readonly Timestamp Ts = new(1_700_000_000_123, 4, "node-a");
    private static readonly LwwRecord Lww = new(Value.Map(("title", Value.Of("x")), ("n", Value.Of(1.5))), Ts, 60_000);
    private static readonly OrMapRecord Or = new(Value.Array(Value.Of("a"), Value.Null), Ts, Ts.ToString());
    private readonly TempDirectory _dir = new();
    private readonly ActorSystem _system;

    public MapSerializerTests()
    {
        _system = ActorSystem.Create("map-serializer", Server.Node.AkkaConfigBuilder.Build(TestNode.LocalPersistence(TestNode.Environment(_dir.Path))));
    }

    private object RoundTrip(object message)
    {
        var serializer = (SerializerWithStringManifest)_system.Serialization.FindSerializerFor(message);
        Assert.Equal(MapSerializer.SerializerId, serializer.Identifier);
        return _system.Serialization.Deserialize(serializer.ToBinary(message), serializer.Identifier, serializer.Manifest(message));
    }

    [Fact]
    public void Events_and_snapshots_round_trip_with_values_ttl_and_tombstones()
    {
        var merged = (LwwRecordsMerged)RoundTrip(new LwwRecordsMerged([new("k", Lww), new("t", LwwRecord.Tombstone(Ts))], Ts));
        Assert.Equal([new("k", Lww), new("t", LwwRecord.Tombstone(Ts))], merged.Records);
        Assert.Equal(Ts, merged.ServerTime);

        var or = (OrPartitionSnapshot)RoundTrip(new OrPartitionSnapshot([new OrEntry("k", [Or], ["tag-1"])], Ts));
        Assert.Equal(Or, Assert.Single(or.Entries).Records.Single());
        Assert.Equal(["tag-1"], or.Entries[0].Tombstones);

        Assert.Equal(new LwwTombstonesPruned(Ts), RoundTrip(new LwwTombstonesPruned(Ts)));
        Assert.Equal(new MapTypeFixed("m", MapKind.Or), RoundTrip(new MapTypeFixed("m", MapKind.Or)));
    }

    [Fact]
    public void A_command_in_its_envelope_round_trips()
    {
        var envelope = new PartitionEnvelope("m|x", "a", new ApplyOrOps(7, [new OrOp("o1", "k", Or, null), new OrOp(null, "k", null, "t")], WriteConcern.Applied, "client"));

        var back = (PartitionEnvelope)RoundTrip(envelope);

        Assert.Equal(("m|x", "a"), (back.MapName, back.Partition));
        var command = Assert.IsType<ApplyOrOps>(back.Command);
        Assert.Equal((7L, WriteConcern.Applied, "client"), (command.CorrelationId, command.Concern, command.OriginId));
        Assert.Equal([new OrOp("o1", "k", Or, null), new OrOp(null, "k", null, "t")], command.Ops);
    }

    [Fact]
    public void A_query_spec_crosses_nodes_with_the_same_fingerprint_limit_and_cursor()
    {
        var spec = QuerySpec.Parse(Value.Map(
            ("where", Value.Map(("status", Value.Of("open")))),
            ("predicate", Value.Map(("op", Value.Of("and")), ("children", Value.Array(
                Value.Map(("op", Value.Of("gt")), ("attribute", Value.Of("n")), ("value", Value.Of(3))),
                Value.Map(("op", Value.Of("eq")), ("attribute", Value.Of("gone"))))))),
            ("sort", Value.Map(("n", Value.Of("desc")), ("title", Value.Of("asc")))),
            ("limit", Value.Of(5)),
            ("cursor", Value.Of("abc"))));

        var back = (QueryPartition)RoundTrip(new QueryPartition(1, spec, 42));

        Assert.Equal(spec.Fingerprint, back.Spec.Fingerprint);
        Assert.Equal(spec.CanonicalText, back.Spec.CanonicalText);
        Assert.Equal((5, "abc", 42L), (back.Spec.Limit, back.Spec.Cursor, back.NowMillis));
    }

    [Fact]
    public void Replies_and_the_change_feed_round_trip()
    {
        var applied = (OpsApplied)RoundTrip(new OpsApplied(3, [OpOutcome.Ok("a"), OpOutcome.Failed(null, "nope")], WriteConcern.Persisted));
        Assert.Equal([OpOutcome.Ok("a"), OpOutcome.Failed(null, "nope")], applied.Outcomes);

        var hashes = (MerkleNodeHashes)RoundTrip(new MerkleNodeHashes(1, "a", new Dictionary<char, uint> { ['0'] = 1, ['f'] = uint.MaxValue }));
        Assert.Equal(uint.MaxValue, hashes.Buckets['f']);

        Assert.Equal(new PartitionRoot(2, "a", 99, null), RoundTrip(new PartitionRoot(2, "a", 99, null)));
        var result = (PartitionQueryResult)RoundTrip(new PartitionQueryResult(4, [new QueryCandidate("k", Lww.Value, Ts), new QueryCandidate("j", Value.Of(1), null)]));
        Assert.Equal(new QueryCandidate("j", Value.Of(1), null), result.Candidates[1]);

        var changed = (MapChanged)RoundTrip(new MapChanged("m", "c1", [new MapChange("k", Lww, null, null), new MapChange("j", null, Or, null), new MapChange("i", null, null, "t")], Ts));
        Assert.Equal([new MapChange("k", Lww, null, null), new MapChange("j", null, Or, null), new MapChange("i", null, null, "t")], changed.Changes);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _system.Terminate();
        _dir.Dispose();
    }
}
