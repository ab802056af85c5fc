using Akka.Actor;
using Akka.Serialization;
using TopGun.Core.Crdt;
using TopGun.Server.Counters;
using TopGun.Server.Counters.Serialization;
using TopGun.Server.Tests.Support;
using TopGun.Server.Node;

namespace TopGun.Server.Tests.Counters;

public sealed class CounterSerializerTests : IAsyncLifetime
{
    private static readonly PnCounterState State = new([new("a", 3), new("big", 1e15)], [new("a", 1)]);
    private readonly TempDirectory _dir = new();
    private readonly ActorSystem _system;

    public CounterSerializerTests()
    {
        _system = ActorSystem.Create("counter-serializer", Server.Node.AkkaConfigBuilder.Build(TestNode.LocalPersistence(TestNode.Environment(_dir.Path))));
    }

    private object RoundTrip(object message)
    {
        var serializer = (SerializerWithStringManifest)_system.Serialization.FindSerializerFor(message);
        Assert.Equal(CounterSerializer.SerializerId, serializer.Identifier);
        return _system.Serialization.Deserialize(serializer.ToBinary(message), serializer.Identifier, serializer.Manifest(message));
    }

    [Fact]
    public void The_event_the_snapshot_and_every_node_to_node_message_round_trip_through_the_counter_serializer()
    {
        object[] messages =
        [
            new CounterMerged(State),
            new CounterSnapshot(PnCounterState.Empty),
            new CounterEnvelope("likes", new SyncCounter(4, State)),
            new CounterEnvelope("likes", new GetCounter(5)),
            new CounterRead("likes", 6, State),
            new CounterSynced("likes", 7, State),
            new CounterChanged("likes", State),
            new CounterRejected("likes", 8, "too many"),
        ];

        foreach (var message in messages)
        {
            var back = RoundTrip(message);
            if (message is CounterEnvelope envelope)
            {
                var restored = Assert.IsType<CounterEnvelope>(back);
                Assert.Equal(envelope.Name, restored.Name);
                Assert.Equal(envelope.Command, restored.Command);
            }
            else
            {
                Assert.Equal(message, back);
            }
        }
    }

    [Fact]
    public void Manifests_are_versioned_and_the_identifier_is_fixed()
    {
        Assert.Equal(4716, new CounterSerializer((ExtendedActorSystem)_system).Identifier);
        Assert.All(CounterSerializer.Manifests.Manifests, m => Assert.Matches(@"^counter\.[a-z-]+\.v\d+$", m));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _system.Terminate();
        _dir.Dispose();
    }
}
