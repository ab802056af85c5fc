using Akka.Actor;

namespace TopGun.Server.Topics;

/// <summary>
/// The node's <see cref="TopicRouter"/> and <see cref="TopicSettings"/>, available once <see cref="TopicsStartup"/>
/// has run. Connections find the router here rather than in their dependencies, so the topic feature stays in its
/// own module; actor specs put a probe in with <see cref="Set"/>.
/// </summary>
public sealed class TopicRouting : IExtension
{
    private IActorRef? _router;
    private TopicSettings _settings = TopicSettings.Default;

    public static TopicRouting Get(ActorSystem system) => system.WithExtension<TopicRouting, TopicRoutingProvider>();

    public bool IsStarted => Volatile.Read(ref _router) is not null;

    /// <summary>The node's router; null until started (connections then answer topic messages with ERROR 503).</summary>
    public IActorRef? Router => Volatile.Read(ref _router);

    public TopicSettings Settings => Volatile.Read(ref _settings);

    public void Set(IActorRef router, TopicSettings settings)
    {
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(settings);
        Volatile.Write(ref _settings, settings);
        Volatile.Write(ref _router, router);
    }
}

public sealed class TopicRoutingProvider : ExtensionIdProvider<TopicRouting>
{
    public override TopicRouting CreateExtension(ExtendedActorSystem system) => new();
}
