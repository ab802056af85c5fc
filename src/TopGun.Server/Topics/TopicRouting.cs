using Akka.Actor;
using TopGun.Server.Hosting;

namespace TopGun.Server.Topics;

/// <summary>The node's <see cref="TopicRouter"/> and <see cref="TopicSettings"/>, available once <see cref="TopicsStartup"/> has run.</summary>
public sealed class TopicRouting() : FeatureHandle<TopicSettings>(TopicSettings.Default)
{
    public static TopicRouting Get(ActorSystem system) => system.WithExtension<TopicRouting, TopicRoutingProvider>();

    public IActorRef? Router => Actor;
}

public sealed class TopicRoutingProvider : ExtensionIdProvider<TopicRouting>
{
    public override TopicRouting CreateExtension(ExtendedActorSystem system) => new();
}
