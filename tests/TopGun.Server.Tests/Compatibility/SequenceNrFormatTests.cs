using MessagePack;
using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Queries;
using TopGun.Core.Values;
using TopGun.Server.Maps;
using TopGun.Server.Maps.Serialization;
using TopGun.Server.Serialization;
using static TopGun.Server.Maps.Serialization.MapFormats;
using static TopGun.Server.Serialization.Fields;

namespace TopGun.Server.Tests.Compatibility;

/// <summary>
/// <c>map.changed.v1</c> and <c>map.partition-query-result.v1</c> carrying the partition's journal sequence number as an
/// optional trailing element, written only when set: without it both keep the bytes of the first release (their
/// fixtures <c>Fixtures/4712/map.changed.v1.bin</c> and <c>map.partition-query-result.v1.bin</c>, checked by
/// <see cref="PersistedFormatFixtureTests"/>), and a node of the previous build, whose reader skips trailing elements,
/// reads the form with it as the message it knows. This class holds the second forms' fixtures, generated and never
/// overwritten like the others.
/// </summary>
public sealed class SequenceNrFormatTests
{
    private const string ChangedManifest = "map.changed.v1";
    private const string ChangedFixture = "map.changed.v1.with-sequence-nr.bin";
    private const string PageManifest = "map.partition-query-result.v1";
    private const string PageFixture = "map.partition-query-result.v1.with-sequence-nr.bin";
    private static readonly Timestamp Ts = new(1_700_000_000_123, 4, "node-a");
    private static readonly OrMapRecord Added = new(Value.Array(Value.Of("a"), Value.Null), Ts, Ts.ToString(), 30_000);

    private static MapChanged Changed() => new("todos", "client-1",
    [
        new MapChange("k", null, Added, null),
        new MapChange("k", null, null, "1699999999001:2:node-d", [Added]),
    ], Ts, SequenceNr: 4_294_967_302);

    private static PartitionQueryResult Page() =>
        new(22, [new QueryCandidate("k", Value.Array(Value.Of("a"), Value.Null), Ts), new QueryCandidate("j", Value.Of(1), null)], SequenceNr: 17);

    [Fact]
    public void A_change_carrying_its_sequence_number_decodes_from_its_committed_bytes()
    {
        StructuralEquality.AssertEqual(Changed(), MapSerializer.Manifests.Read(MapFormFixtures.Load(ChangedFixture, Changed()), ChangedManifest));
    }

    [Fact]
    public void Todays_writer_still_produces_the_committed_bytes_of_a_change_carrying_its_sequence_number()
    {
        Assert.Equal(ChangedManifest, MapSerializer.Manifests.ManifestFor(Changed()));
        Assert.Equal(MapFormFixtures.Load(ChangedFixture, Changed()), MapSerializer.Manifests.Write(Changed()));
    }

    [Fact]
    public void A_node_of_the_previous_build_reads_a_change_carrying_its_sequence_number_as_the_change_it_knows()
    {
        var reader = new MessagePackReader(MapFormFixtures.Load(ChangedFixture, Changed()));
        var old = Body.Read(ref reader, 4, static (ref MessagePackReader b) =>
            new MapChanged(ReadString(ref b), ReadString(ref b), ReadList(ref b, ReadMapChange), ReadTimestamp(ref b)));

        Assert.True(reader.End);
        StructuralEquality.AssertEqual(Changed() with { SequenceNr = null }, old);
    }

    [Fact]
    public void A_page_carrying_its_sequence_number_decodes_from_its_committed_bytes()
    {
        StructuralEquality.AssertEqual(Page(), MapSerializer.Manifests.Read(MapFormFixtures.Load(PageFixture, Page()), PageManifest));
    }

    [Fact]
    public void Todays_writer_still_produces_the_committed_bytes_of_a_page_carrying_its_sequence_number()
    {
        Assert.Equal(PageManifest, MapSerializer.Manifests.ManifestFor(Page()));
        Assert.Equal(MapFormFixtures.Load(PageFixture, Page()), MapSerializer.Manifests.Write(Page()));
    }

    [Fact]
    public void A_node_of_the_previous_build_reads_a_page_carrying_its_sequence_number_as_the_page_it_knows()
    {
        var reader = new MessagePackReader(MapFormFixtures.Load(PageFixture, Page()));
        var old = Body.Read(ref reader, 2, static (ref MessagePackReader b) => new PartitionQueryResult(b.ReadInt64(), ReadList(ref b, ReadCandidate)));

        Assert.True(reader.End);
        StructuralEquality.AssertEqual(Page() with { SequenceNr = null }, old);
    }
}
