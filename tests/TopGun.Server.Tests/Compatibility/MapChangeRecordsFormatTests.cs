using MessagePack;
using TopGun.Core.Clock;
using TopGun.Core.Crdt;
using TopGun.Core.Values;
using TopGun.Server.Maps;
using TopGun.Server.Maps.Serialization;
using TopGun.Server.Serialization;
using static TopGun.Server.Maps.Serialization.MapFormats;
using static TopGun.Server.Serialization.Fields;

namespace TopGun.Server.Tests.Compatibility;

/// <summary>
/// <c>map.changed.v1</c> in both its forms. An OR change may carry the key's records after the command as an
/// optional fifth element of the change, written only when set: the change without it keeps the bytes of the first
/// release (its fixture is <c>Fixtures/4712/map.changed.v1.bin</c>, checked by <see cref="PersistedFormatFixtureTests"/>),
/// and a node of the older build, whose reader skips trailing elements, reads the form with it as the one-tag change it
/// knows. This class holds the second form's fixture, generated and never overwritten like the others.
/// </summary>
public sealed class MapChangeRecordsFormatTests
{
    private const string Manifest = "map.changed.v1";
    private const string FixtureName = "map.changed.v1.with-or-records.bin";
    private static readonly Timestamp Ts = new(1_700_000_000_123, 4, "node-a");
    private static readonly OrMapRecord Added = new(Value.Array(Value.Of("a"), Value.Null), Ts, Ts.ToString(), 30_000);
    private static readonly OrMapRecord Older = new(Value.Of("b"), new Timestamp(1_700_000_000_001, 0, "node-b"), "1700000000001:0:node-b");

    private static MapChanged Sample() => new("todos", "client-1",
    [
        new MapChange("k", null, Added, null),
        new MapChange("j", null, null, "1699999999000:0:node-c", []),
        new MapChange("k", null, null, "1699999999001:2:node-d", [Older, Added]),
    ], Ts);

    [Fact]
    public void A_change_carrying_the_key_s_records_decodes_from_its_committed_bytes()
    {
        var decoded = MapSerializer.Manifests.Read(Fixture(), Manifest);

        StructuralEquality.AssertEqual(Sample(), decoded);
    }

    [Fact]
    public void Todays_writer_still_produces_the_committed_bytes_of_a_change_carrying_the_key_s_records()
    {
        Assert.Equal(Manifest, MapSerializer.Manifests.ManifestFor(Sample()));
        Assert.Equal(Fixture(), MapSerializer.Manifests.Write(Sample()));
    }

    [Fact]
    public void A_node_of_the_older_build_reads_a_change_carrying_records_as_the_one_tag_change_it_knows()
    {
        var reader = new MessagePackReader(Fixture());
        var old = FirstReleaseReader(ref reader);

        Assert.True(reader.End);
        StructuralEquality.AssertEqual(Sample() with { Changes = Sample().Changes.Select(c => c with { OrRecords = null }).ToArray() }, old);
    }

    /// <summary>The first release's reader of <c>map.changed.v1</c>, as it shipped: four fields per change, the rest skipped.</summary>
    private static MapChanged FirstReleaseReader(ref MessagePackReader r) =>
        Body.Read(ref r, 4, static (ref MessagePackReader b) => new MapChanged(ReadString(ref b), ReadString(ref b), ReadList(ref b, FirstReleaseChange), ReadTimestamp(ref b)));

    private static MapChange FirstReleaseChange(ref MessagePackReader r)
    {
        var n = r.ReadArrayHeader();
        var key = ReadString(ref r);
        var lww = r.TryReadNil() ? null : ReadLwwRecord(ref r);
        var or = r.TryReadNil() ? null : ReadOrRecord(ref r);
        var tag = ReadNullableString(ref r);
        Body.Skip(ref r, n, 4);
        return new MapChange(key, lww, or, tag);
    }

    private static byte[] Fixture() => MapFormFixtures.Load(FixtureName, Sample());
}
