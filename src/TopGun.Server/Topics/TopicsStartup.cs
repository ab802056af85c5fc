using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using TopGun.Server.Hosting;

namespace TopGun.Server.Topics;

/// <summary>Node startup step: starts the node's <see cref="TopicRouter"/> on the DistributedPubSub mediator before the node reports ready.</summary>
public sealed class TopicsStartup : INodeStartupStep
{
    public Task RunAsync(ActorSystem system, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(system);
        var routing = TopicRouting.Get(system);
        if (routing.IsStarted) return Task.CompletedTask;
        var settings = TopicSettings.FromConfig(system.Settings.Config);
        var router = system.ActorOf(TopicRouter.Props(DistributedPubSub.Get(system).Mediator), TopicRouter.Name);
        routing.Set(router, settings);
        return Task.CompletedTask;
    }
}
