using TopGun.Core.Crdt;
using TopGun.Server.Maps;
using TopGun.Server.Maps.Serialization;

namespace TopGun.Server.Tests.Maps;

/// <summary>
/// Every maps format that carries a map kind, as bytes written by the server before <see cref="MapKind"/>
/// moved to Core: the server has always written LWW as 0 and OR as 1 (journal rows of
/// <c>map.type-fixed.v1</c>, and cross-node messages of a rolling upgrade), whatever the enum's numbering.
/// </summary>
public sealed class MapKindFormatTests
{
    public static TheoryData<string, string, object> Fixtures => new()
    {
        // [name, kind]
        { "map.type-fixed.v1", "92a16d00", new MapTypeFixed("m", MapKind.Lww) },
        { "map.type-fixed.v1", "92a16d01", new MapTypeFixed("m", MapKind.Or) },
        { "map.claim-type.v1", "92a16d00", new ClaimMapType("m", MapKind.Lww) },
        { "map.claim-type.v1", "92a16d01", new ClaimMapType("m", MapKind.Or) },
        { "map.type-claimed.v1", "92a16d00", new MapTypeClaimed("m", MapKind.Lww) },
        { "map.type-claimed.v1", "92a16d01", new MapTypeClaimed("m", MapKind.Or) },
        // [correlation id, kind, path]
        { "map.get-merkle-node.v1", "930300a161", new GetMerkleNode(3, MapKind.Lww, "a") },
        { "map.get-merkle-node.v1", "930301a161", new GetMerkleNode(3, MapKind.Or, "a") },
        // [correlation id, partition, hash, kind or nil]
        { "map.partition-root.v1", "9405a1610700", new PartitionRoot(5, "a", 7, MapKind.Lww) },
        { "map.partition-root.v1", "9405a1610701", new PartitionRoot(5, "a", 7, MapKind.Or) },
        { "map.partition-root.v1", "9405a16107c0", new PartitionRoot(5, "a", 7, null) },
    };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Bytes_written_before_the_kind_moved_to_core_decode_to_the_same_message(string manifest, string hex, object expected)
    {
        Assert.Equal(expected, MapSerializer.Manifests.Read(Convert.FromHexString(hex), manifest));
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void A_kind_is_written_as_the_same_bytes_as_before(string manifest, string hex, object message)
    {
        Assert.Equal(manifest, MapSerializer.Manifests.ManifestFor(message));
        Assert.Equal(hex, Convert.ToHexString(MapSerializer.Manifests.Write(message)).ToLowerInvariant());
    }

    [Theory]
    [InlineData("map.type-fixed.v1", "92a16d02")]
    [InlineData("map.get-merkle-node.v1", "930302a161")]
    public void An_unknown_kind_number_is_refused(string manifest, string hex)
    {
        Assert.ThrowsAny<Exception>(() => MapSerializer.Manifests.Read(Convert.FromHexString(hex), manifest));
    }
}
