using Akka.Actor;
using Akka.TestKit.Xunit2;
using TopGun.Server.Configuration;
using TopGun.Server.Maps;
using TopGun.Server.Storage;
using TopGun.Server.Node;

namespace TopGun.Server.Tests.Maps;

/// <summary>One ActorSystem on a node's storage, with a TestKit for probes; disposing it terminates the system.</summary>
internal sealed class PartitionSystem : IAsyncDisposable
{
    private PartitionSystem(ActorSystem system, MapSettings settings)
    {
        System = system;
        Settings = settings;
        Kit = new TestKit(system);
    }

    public ActorSystem System { get; }

    public MapSettings Settings { get; }

    public TestKit Kit { get; }

    public static async Task<PartitionSystem> StartAsync(NodeConfiguration node, Func<MapSettings, MapSettings>? adjust = null, string name = "maps")
    {
        await StorageBootstrap.PrepareAsync(node.Settings, CancellationToken.None);
        var system = ActorSystem.Create(name, AkkaConfigBuilder.Build(node));
        var settings = MapSettings.Create(node.Settings, system.Settings.Config);
        return new PartitionSystem(system, adjust is null ? settings : adjust(settings));
    }

    public IActorRef Partition(string mapName, string partition, IActorRef? changeFeed = null) =>
        System.ActorOf(MapPartition.Props(mapName, partition, Settings, NodeClock.Get(System).Hlc, changeFeed));

    public Task<T> AskAsync<T>(IActorRef target, object message) => target.Ask<T>(message, TimeSpan.FromSeconds(20));

    public async ValueTask DisposeAsync() => await System.Terminate();
}
