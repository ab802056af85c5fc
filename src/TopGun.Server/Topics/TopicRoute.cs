using Akka.Actor;
using TopGun.Core.Clock;
using TopGun.Core.Protocol;
using TopGun.Server.Clients;
using TopGun.Server.Security;

namespace TopGun.Server.Topics;

/// <summary>
/// Topics (protocol.md §5) at one connection: TOPIC_SUB needs READ and TOPIC_PUB needs PUT on
/// <c>topic:&lt;name&gt;</c>, checked here with the name and the publish rate while the frame holds its inbound
/// credit, so a publish flood is refused before it costs more than its frame; subscriptions and deliveries are
/// the connection's <see cref="TopicSession"/>, started on first use.
/// </summary>
internal sealed class TopicRoute(IConnectionScope connection, TopicRouting topics, Hlc clock) : ISessionRoute
{
    private IActorRef? _session;
    private TokenBucket? _publishRate;
    private bool _closed;

    /// <summary>Topics as a connection feature, reached through the node's <see cref="TopicRouting"/>; the clock stamps publishes.</summary>
    public sealed record Feature(TopicRouting Topics, Hlc Clock) : IConnectionFeature
    {
        public ISessionRoute Open(IConnectionScope connection) => new TopicRoute(connection, Topics, Clock);
    }

    private TokenBucket PublishRate =>
        _publishRate ??= new TokenBucket(topics.Settings.PublishRatePerSecond, topics.Settings.PublishBurst);

    public bool TryRoute(Message message)
    {
        switch (message)
        {
            case TopicSubMessage sub:
                if (Allowed(MessageTypes.TopicSub, sub.Topic, AccessAction.Read, out var grant, out var router))
                    Session(router).Tell(new TopicSession.Subscribe(sub.Topic, grant.Fields));
                return true;
            case TopicUnsubMessage unsub:
                if (TopicName.Check(unsub.Topic) is { } error) connection.InvalidMessage("TOPIC_UNSUB payload." + error);
                else _session?.Tell(new TopicSession.Unsubscribe(unsub.Topic));
                return true;
            case TopicPubMessage pub:
                OnPublish(pub);
                return true;
            default:
                return false;
        }
    }

    public bool TryDeliver(object message)
    {
        if (message is not TopicPublished published) return false;
        if (!_closed) _session?.Tell(published);
        return true;
    }

    public void Close()
    {
        _closed = true;
        if (_session is { } session) connection.StopSession(session);
        _session = null;
    }

    private void OnPublish(TopicPubMessage pub)
    {
        if (!Allowed(MessageTypes.TopicPub, pub.Topic, AccessAction.Put, out _, out var router)) return;
        if (!PublishRate.TryTake())
        {
            connection.LogRejected("Client {0} exceeded its publish rate: {1}", pub.Topic);
            connection.Channel.Send(ServerErrors.TopicPublishRateExceeded(topics.Settings.PublishRatePerSecond, topics.Settings.PublishBurst, pub.Topic));
            return;
        }
        Session(router).Tell(new TopicSession.Publish(new TopicPublished(pub.Topic, pub.Data, connection.ClientId, clock.WallMillis())));
    }

    /// <summary>Checks the name, the permission and that the node's router runs; answers the client with the reason otherwise.</summary>
    private bool Allowed(string type, string topic, AccessAction action, out AccessGrant grant, out IActorRef router)
    {
        grant = AccessGrant.Nothing;
        router = ActorRefs.Nobody;
        if (TopicName.Check(topic) is { } error)
        {
            connection.InvalidMessage($"{type} payload.{error}");
            return false;
        }
        grant = connection.Grant(AccessControl.TopicResource(topic));
        if (!grant.Allows(action))
        {
            connection.Denied($"{type} on topic '{topic}'", ServerErrors.DeniedOnTopic(type, topic));
            return false;
        }
        if (topics.Router is not { } started)
        {
            connection.Channel.Send(ServerErrors.TopicsUnavailable(topic));
            return false;
        }
        router = started;
        return true;
    }

    private IActorRef Session(IActorRef router) =>
        _session ??= connection.StartSession(
            TopicSession.Props(connection.ClientId, connection.Channel, router, topics.Settings, connection.RejectedLog), "topics");
}
