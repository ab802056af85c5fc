using Akka.Actor;
using Akka.Serialization;
using TopGun.Core.Values;
using TopGun.Server.Tests.Support;
using TopGun.Server.Topics;
using TopGun.Server.Topics.Serialization;
using TopGun.Server.Node;

namespace TopGun.Server.Tests.Topics;

public sealed class TopicSerializerTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly ActorSystem _system;

    public TopicSerializerTests()
    {
        var node = TestNode.LocalPersistence(TestNode.Environment(_dir.Path));
        _system = ActorSystem.Create("topic-serializer", Server.Node.AkkaConfigBuilder.Build(node));
    }

    [Fact]
    public void A_publish_crosses_nodes_through_the_topic_serializer_and_comes_back_equal()
    {
        var original = new TopicPublished(
            "room/1",
            Value.Map(("text", Value.Of("hi")), ("n", Value.Of(3.5)), ("tags", Value.Array(Value.Of("a"), Value.Null))),
            "5b0c6a6e-client",
            1_700_000_000_123);
        var serializer = (SerializerWithStringManifest)_system.Serialization.FindSerializerFor(original);

        var bytes = serializer.ToBinary(original);
        var restored = _system.Serialization.Deserialize(bytes, serializer.Identifier, serializer.Manifest(original));

        Assert.Equal(TopicSerializer.SerializerId, serializer.Identifier);
        Assert.Equal(4714, serializer.Identifier);
        Assert.Equal("topic.published.v1", serializer.Manifest(original));
        Assert.Equal(original, restored);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _system.Terminate();
        _dir.Dispose();
    }
}
