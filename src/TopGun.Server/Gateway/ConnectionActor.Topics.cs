using Akka.Actor;
using TopGun.Core.Protocol;
using TopGun.Server.Clients;
using TopGun.Server.Security;
using TopGun.Server.Topics;

namespace TopGun.Server.Gateway;

/// <summary>
/// Topics (protocol.md §5): TOPIC_SUB needs READ and TOPIC_PUB needs PUT on <c>topic:&lt;name&gt;</c>. The connection
/// keeps its own subscription set (bounded by <c>topgun.topics.max-subscriptions-per-client</c>) and registers it with
/// the node's <see cref="TopicRouter"/>, which watches the connection, so subscriptions end with it. Deliveries go
/// through the bounded outbound queue like every other server message; a copy of the connection's own publish, or
/// one still in flight after TOPIC_UNSUB, is dropped here. Hidden fields of the READ grant are stripped from the data.
/// </summary>
public sealed partial class ConnectionActor
{
    private readonly HashSet<string> _topicSubscriptions = new(StringComparer.Ordinal);
    private TopicRouting? _topicRouting;
    private TokenBucket? _publishRate;

    private TopicRouting NodeTopics => _topicRouting ??= TopicRouting.Get(Context.System);

    private TokenBucket PublishRate =>
        _publishRate ??= new TokenBucket(NodeTopics.Settings.PublishRatePerSecond, NodeTopics.Settings.PublishBurst);

    private void OnTopicSub(TopicSubMessage sub)
    {
        if (!TopicAllowed(MessageTypes.TopicSub, sub.Topic, AccessAction.Read, out var router)) return;
        if (_topicSubscriptions.Contains(sub.Topic)) return;
        var max = NodeTopics.Settings.MaxSubscriptionsPerClient;
        if (_topicSubscriptions.Count >= max)
        {
            LogRejected("Client {0} exceeded its topic subscriptions: {1}", sub.Topic);
            _channel.Send(ServerErrors.TooManyTopicSubscriptions(max, sub.Topic));
            return;
        }
        _topicSubscriptions.Add(sub.Topic);
        router.Tell(new TopicCommands.Subscribe(sub.Topic), Self);
    }

    private void OnTopicUnsub(TopicUnsubMessage unsub)
    {
        if (TopicName.Check(unsub.Topic) is { } error)
        {
            InvalidMessage("TOPIC_UNSUB payload." + error);
            return;
        }
        if (_topicSubscriptions.Remove(unsub.Topic)) NodeTopics.Router?.Tell(new TopicCommands.Unsubscribe(unsub.Topic), Self);
    }

    private void OnTopicPub(TopicPubMessage pub)
    {
        if (!TopicAllowed(MessageTypes.TopicPub, pub.Topic, AccessAction.Put, out var router)) return;
        if (!PublishRate.TryTake())
        {
            LogRejected("Client {0} exceeded its publish rate: {1}", pub.Topic);
            _channel.Send(ServerErrors.TopicPublishRateExceeded(NodeTopics.Settings.PublishRatePerSecond, NodeTopics.Settings.PublishBurst, pub.Topic));
            return;
        }
        router.Tell(new TopicCommands.Publish(new TopicPublished(pub.Topic, pub.Data, _clientId, _deps.Clock.WallMillis())), Self);
    }

    private void OnTopicPublished(TopicPublished published)
    {
        if (_closing || published.PublisherId == _clientId || !_topicSubscriptions.Contains(published.Topic)) return;
        var fields = Grant(AccessControl.TopicResource(published.Topic)).Fields;
        _channel.Send(new TopicMessageMessage(published.Topic, fields.Apply(published.Data), published.Timestamp, published.PublisherId));
    }

    /// <summary>Checks the name, the permission and that the node's router runs; answers the client with the reason otherwise.</summary>
    private bool TopicAllowed(string type, string topic, AccessAction action, out IActorRef router)
    {
        router = ActorRefs.Nobody;
        if (TopicName.Check(topic) is { } error)
        {
            InvalidMessage($"{type} payload.{error}");
            return false;
        }
        if (!Grant(AccessControl.TopicResource(topic)).Allows(action))
        {
            LogRejected("Client {0} was denied: {1}", $"{type} on topic '{topic}' for {_principal}");
            _channel.Send(ServerErrors.DeniedOnTopic(type, topic));
            return false;
        }
        if (NodeTopics.Router is not { } started)
        {
            _channel.Send(ServerErrors.TopicsUnavailable(topic));
            return false;
        }
        router = started;
        return true;
    }
}
