using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using TopGun.Server.Modules;

namespace TopGun.Server.Topics;

/// <summary>The node's <see cref="TopicRouter"/> (on the DistributedPubSub mediator) and <see cref="TopicSettings"/>, available once started.</summary>
internal sealed class TopicRouting() : FeatureHandle<TopicSettings>(TopicSettings.Default), INodeFeature
{
    public static TopicRouting Get(ActorSystem system) => NodeExtension.Get<TopicRouting>(system);

    public IActorRef? Router => Actor;

    public Task StartAsync(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        if (IsStarted) return Task.CompletedTask;
        var settings = TopicSettings.FromConfig(system.Settings.Config);
        Set(system.ActorOf(TopicRouter.Props(DistributedPubSub.Get(system).Mediator), TopicRouter.Name), settings);
        return Task.CompletedTask;
    }
}
