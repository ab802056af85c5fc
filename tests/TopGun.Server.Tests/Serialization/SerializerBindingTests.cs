using System.Reflection;
using Akka.Actor;
using Akka.Serialization;
using MessagePack;
using TopGun.Server.Readiness;
using TopGun.Server.Serialization;
using TopGun.Server.Tests.Support;
using TopGun.Server.Node;

namespace TopGun.Server.Tests.Serialization;

public sealed class SerializerBindingTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly ActorSystem _system;

    public SerializerBindingTests()
    {
        var node = TestNode.LocalPersistence(TestNode.Environment(_dir.Path));
        _system = ActorSystem.Create("bindings", Server.Node.AkkaConfigBuilder.Build(node));
    }

    public static TheoryData<Type> SerializableTypes()
    {
        var data = new TheoryData<Type>();
        foreach (var type in new[] { typeof(ITopGunSerializable).Assembly, typeof(SerializerBindingTests).Assembly }
                     .SelectMany(a => a.GetTypes())
                     .Where(t => typeof(ITopGunSerializable).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false }))
        {
            data.Add(type);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(SerializableTypes))]
    public void Every_persisted_type_is_bound_to_a_TopGun_serializer_that_knows_its_manifest(Type type)
    {
        var serializer = _system.Serialization.FindSerializerForType(type);

        var topgun = Assert.IsAssignableFrom<TopGunMessageSerializer>(serializer);
        Assert.InRange(topgun.Identifier, 4711, 4730);
        Assert.True(topgun.Registry.TryGetManifest(type, out _), $"{type.Name} is bound to {serializer.GetType().Name} but not registered in it");
    }

    [Theory]
    [MemberData(nameof(SerializableTypes))]
    public void Every_persisted_type_matches_exactly_one_binding_so_akkas_first_match_lookup_cannot_pick_another(Type type)
    {
        // Akka.NET takes an exact binding, else the first assignable one in its (unordered) map, and System.Object last.
        var bindings = _system.Settings.Config.GetConfig("akka.actor.serialization-bindings").AsEnumerable()
            .Select(binding => Type.GetType(binding.Key))
            .Where(bound => bound is not null && bound != typeof(object));

        var matching = bindings.Where(bound => bound!.IsAssignableFrom(type)).Select(bound => bound!.Name).ToArray();

        Assert.True(matching.Length == 1, $"{type.Name} matches {matching.Length} bindings: {string.Join(", ", matching)}");
    }

    [Fact]
    public void Sample_event_goes_through_the_infrastructure_serializer_and_never_json_or_hyperion()
    {
        var serializer = _system.Serialization.FindSerializerFor(new JournalProbed("n1", 1));

        Assert.Equal(InfrastructureSerializer.SerializerId, serializer.Identifier);
        Assert.IsNotType<NewtonSoftJsonSerializer>(serializer);
        Assert.DoesNotContain("Hyperion", serializer.GetType().FullName, StringComparison.Ordinal);
    }

    [Fact]
    public void Ad_hoc_messages_still_fall_back_to_hyperion()
    {
        var serializer = _system.Serialization.FindSerializerFor(new Uri("http://example.org"));

        Assert.Contains("Hyperion", serializer.GetType().FullName, StringComparison.Ordinal);
    }

    [Fact]
    public void Sample_event_round_trips_through_the_akka_serialization_extension()
    {
        var original = new JournalProbed("node-a", 1_700_000_000_123);
        var serializer = (SerializerWithStringManifest)_system.Serialization.FindSerializerFor(original);

        var bytes = serializer.ToBinary(original);
        var manifest = serializer.Manifest(original);
        var restored = _system.Serialization.Deserialize(bytes, serializer.Identifier, manifest);

        Assert.Equal("infra.journal-probed.v1", manifest);
        Assert.Equal(original, restored);
    }

    [Fact]
    public void Legacy_manifest_is_still_read_after_the_format_moved_on()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.Write("written by v0");
        writer.Flush();

        var restored = _system.Serialization.Deserialize(buffer.WrittenSpan.ToArray(), TestNotesSerializer.SerializerId, "test.note-added.v0");

        Assert.Equal(new NoteAdded("written by v0", 0), restored);
    }

    [Fact]
    public void Reader_skips_fields_appended_by_a_newer_writer_of_the_same_version()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(3);
        writer.Write("n1");
        writer.Write(42L);
        writer.Write("a field from the future");
        writer.Flush();

        var restored = InfrastructureSerializer.Manifests.Read(buffer.WrittenMemory, JournalProbed.Manifest);

        Assert.Equal(new JournalProbed("n1", 42), restored);
    }

    [Fact]
    public void Unknown_manifest_fails_loudly()
    {
        var error = Assert.Throws<System.Runtime.Serialization.SerializationException>(
            () => InfrastructureSerializer.Manifests.Read(new byte[] { 0x90 }, "infra.something.v9"));

        Assert.Contains("infra.something.v9", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Registering_a_manifest_twice_is_refused()
    {
        Assert.Throws<ArgumentException>(() => ManifestRegistry.Create()
            .Add<JournalProbed>("same", JournalProbed.Write, JournalProbed.Read)
            .AddLegacy<JournalProbed>("same", JournalProbed.Read));
    }

    [Fact]
    public void Serializer_identifiers_are_fixed()
    {
        var infrastructure = new InfrastructureSerializer((ExtendedActorSystem)_system);

        Assert.Equal(4711, infrastructure.Identifier);
        Assert.Equal(4711, InfrastructureSerializer.SerializerId);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _system.Terminate();
        _dir.Dispose();
    }
}
