using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;
using TopGun.Server.Configuration;
using TopGun.Server.Serialization;
using TopGun.Server.Tests.Support;
using TopGun.Server.Node;

namespace TopGun.Server.Tests.Compatibility;

/// <summary>
/// Byte-level fixtures of every format a TopGun serializer reads: the bytes today's code wrote for
/// <see cref="FormatSamples"/> are committed under <c>Fixtures/&lt;serializer-id&gt;/&lt;manifest&gt;.bin</c> and must
/// decode, forever, to the same object. With <c>TOPGUN_WRITE_FIXTURES=1</c> the decode test first writes the fixture of a
/// manifest that has none (never overwriting one); without it a missing fixture fails. See Fixtures/README.md.
/// </summary>
public sealed class PersistedFormatFixtureTests : IAsyncLifetime
{
    private const string WriteVariable = "TOPGUN_WRITE_FIXTURES";
    private readonly TempDirectory _dir = new();
    private readonly ExtendedActorSystem _system;

    public PersistedFormatFixtureTests()
    {
        // A remote provider resolves the samples' foreign actor paths to remote refs (a local one would give dead letters).
        var node = NodeConfigurationLoader.Load(TestNode.Environment(_dir.Path), ConfigurationFactory.ParseString(
            """
            akka.actor.provider = remote
            akka.loglevel = WARNING
            """));
        _system = (ExtendedActorSystem)ActorSystem.Create("fixtures", Server.Node.AkkaConfigBuilder.Build(node));
    }

    public static TheoryData<int, string> Manifests()
    {
        var data = new TheoryData<int, string>();
        foreach (var (id, manifest, _) in FormatSamples.All) data.Add(id, manifest);
        return data;
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Every_fixture_decodes_to_its_sample_field_by_field(int serializerId, string manifest)
    {
        var expected = Sample(serializerId, manifest);
        var file = FixturePath(FixturesInOutput(), serializerId, manifest);
        if (!File.Exists(file) && Environment.GetEnvironmentVariable(WriteVariable) == "1")
            file = WriteFixture(serializerId, manifest, expected);
        Assert.True(File.Exists(file), $"No fixture {file}. A new manifest gets its fixture from `{WriteVariable}=1 dotnet test ... --filter PersistedFormatFixtureTests` (see Fixtures/README.md).");

        var decoded = _system.Serialization.Deserialize(File.ReadAllBytes(file), serializerId, manifest);

        StructuralEquality.AssertEqual(expected, decoded);
    }

    [Fact]
    public void Todays_writer_still_produces_the_fixture_bytes_of_every_current_manifest()
    {
        var changed = new List<string>();
        var compared = 0;
        foreach (var (id, manifest, create) in FormatSamples.All)
        {
            var sample = create(_system);
            var serializer = (SerializerWithStringManifest)_system.Serialization.FindSerializerFor(sample);
            if (serializer.Identifier != id || serializer.Manifest(sample) != manifest) continue; // a legacy manifest: only read
            var file = FixturePath(FixturesInOutput(), id, manifest);
            Assert.True(File.Exists(file), $"No fixture {file}");
            compared++;
            if (!serializer.ToBinary(sample).AsSpan().SequenceEqual(File.ReadAllBytes(file)))
                changed.Add($"{id}/{manifest}");
        }

        Assert.True(compared > 0, "No current manifest was compared");

        Assert.True(changed.Count == 0, "Today's writer no longer writes the committed bytes of: " + string.Join(", ", changed)
            + ". A format change needs a new manifest version (keep the old reader as legacy), never a rewritten fixture.");
    }

    [Fact]
    public void Every_sample_is_written_by_the_serializer_and_under_the_manifest_it_is_filed_under()
    {
        foreach (var (id, manifest, create) in FormatSamples.All)
        {
            var sample = create(_system);
            var serializer = (SerializerWithStringManifest)_system.Serialization.FindSerializerFor(sample);
            var legacy = ServerSerializers().Single(s => s.Identifier == id).Registry.Types.All(t => t != sample.GetType());
            Assert.True(legacy || (serializer.Identifier == id && serializer.Manifest(sample) == manifest),
                $"{sample.GetType().Name} is filed under {id}/{manifest} but written by {serializer.Identifier}/{serializer.Manifest(sample)}");
        }
    }

    [Fact]
    public void Every_manifest_of_every_server_serializer_has_a_sample_and_a_fixture()
    {
        var serializers = ServerSerializers();
        var missing = new List<string>();
        foreach (var serializer in serializers)
        {
            foreach (var manifest in serializer.Registry.Manifests)
            {
                if (!FormatSamples.All.Any(s => s.SerializerId == serializer.Identifier && s.Manifest == manifest))
                    missing.Add($"{serializer.Identifier}/{manifest} (no sample in FormatSamples)");
                if (!File.Exists(FixturePath(FixturesInOutput(), serializer.Identifier, manifest)))
                    missing.Add($"{serializer.Identifier}/{manifest} (no fixture file)");
            }
        }

        Assert.Equal([4711, 4712, 4713, 4714, 4715, 4716], serializers.Select(s => s.Identifier).Order());
        Assert.True(missing.Count == 0, "Manifests without a byte fixture: " + string.Join(", ", missing));
        Assert.Equal(serializers.Sum(s => s.Registry.Manifests.Count), FormatSamples.All.Count);
    }

    [Fact]
    public void Every_server_serializer_class_is_declared_in_the_reference_config()
    {
        var declared = ServerSerializers().Select(s => s.GetType()).ToHashSet();
        var defined = typeof(TopGunMessageSerializer).Assembly.GetTypes()
            .Where(t => typeof(TopGunMessageSerializer).IsAssignableFrom(t) && !t.IsAbstract);

        Assert.All(defined, t => Assert.Contains(t, declared));
    }

    [Fact]
    public void The_comparison_finds_a_difference_deep_inside_a_decoded_message()
    {
        var (id, manifest, create) = FormatSamples.All.Single(s => s.Manifest == "map.or-snapshot.v1");
        var sample = (Server.Maps.OrPartitionSnapshot)create(_system);
        var entries = sample.Entries.ToList();
        entries[0] = entries[0] with { Tombstones = [.. entries[0].Tombstones.SkipLast(1), "other-tag"] };

        var difference = StructuralEquality.FindDifference(sample, sample with { Entries = entries }, "$", 0);

        Assert.Equal((4712, "map.or-snapshot.v1"), (id, manifest));
        Assert.NotNull(difference);
        Assert.Contains("Tombstones[1]", difference, StringComparison.Ordinal);
    }

    /// <summary>Every TopGun serializer declared in the node's HOCON (reference.conf), instantiated as the node does.</summary>
    private List<TopGunMessageSerializer> ServerSerializers() =>
        _system.Settings.Config.GetConfig("akka.actor.serializers").AsEnumerable()
            .Select(entry => Type.GetType(entry.Value.GetString()))
            .Where(t => t is not null && typeof(TopGunMessageSerializer).IsAssignableFrom(t) && t.Assembly == typeof(TopGunMessageSerializer).Assembly)
            .Select(t => (TopGunMessageSerializer)_system.Serialization.FindSerializerForType(((TopGunMessageSerializer)Activator.CreateInstance(t!, _system)!).Registry.Types.First()))
            .ToList();

    private object Sample(int id, string manifest) =>
        FormatSamples.All.Single(s => s.SerializerId == id && s.Manifest == manifest).Create(_system);

    private string WriteFixture(int id, string manifest, object sample)
    {
        var serializer = (SerializerWithStringManifest)_system.Serialization.FindSerializerFor(sample);
        Assert.True(serializer.Identifier == id && serializer.Manifest(sample) == manifest,
            $"Only today's writing manifest can be generated; {id}/{manifest} is written as {serializer.Identifier}/{serializer.Manifest(sample)} now.");
        var bytes = serializer.ToBinary(sample);
        foreach (var root in new[] { FixturesInSource(), FixturesInOutput() })
        {
            var path = FixturePath(root, id, manifest);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var stream = new FileStream(path, FileMode.CreateNew); // never overwrite a committed fixture
            stream.Write(bytes);
        }
        return FixturePath(FixturesInOutput(), id, manifest);
    }

    private static string FixturePath(string root, int id, string manifest) => Path.Combine(root, id.ToString(System.Globalization.CultureInfo.InvariantCulture), manifest + ".bin");

    private static string FixturesInOutput() => Path.Combine(AppContext.BaseDirectory, "Compatibility", "Fixtures");

    private static string FixturesInSource([CallerFilePath] string here = "") => Path.Combine(Path.GetDirectoryName(here)!, "Fixtures");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _system.Terminate();
        _dir.Dispose();
    }
}
