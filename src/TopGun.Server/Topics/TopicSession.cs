using Akka.Actor;
using Akka.Event;
using TopGun.Core.Protocol;
using TopGun.Server.Clients;
using TopGun.Server.Security;

namespace TopGun.Server.Topics;

/// <summary>
/// The topic subscriptions of one client connection, a child of its <c>ConnectionActor</c> (whose
/// <see cref="TopicRoute"/> checks names, permissions and the publish rate first). It keeps the subscription set,
/// bounded by <c>topgun.topics.max-subscriptions-per-client</c>, and registers it with the node's
/// <see cref="TopicRouter"/> in the connection's name: the router watches the connection, so subscriptions end
/// with it, and delivers to the connection, which hands each delivery on to this session. A copy of the client's
/// own publish, or one still in flight after TOPIC_UNSUB, is dropped here; deliveries go through the bounded
/// outbound queue like every other server message, with the fields the READ grant hides stripped.
/// </summary>
internal sealed class TopicSession : UntypedActor
{
    private readonly string _clientId;
    private readonly IClientChannel _channel;
    private readonly IActorRef _router;
    private readonly TopicSettings _settings;
    private readonly RejectedInputLog _rejectedLog;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, FieldFilter> _subscriptions = new(StringComparer.Ordinal);
    private IActorRef _client = ActorRefs.Nobody;

    public TopicSession(string clientId, IClientChannel channel, IActorRef router, TopicSettings settings, RejectedInputLog rejectedLog)
    {
        _clientId = clientId;
        _channel = channel;
        _router = router;
        _settings = settings;
        _rejectedLog = rejectedLog;
    }

    public static Props Props(string clientId, IClientChannel channel, IActorRef router, TopicSettings settings, RejectedInputLog rejectedLog) =>
        Akka.Actor.Props.Create(() => new TopicSession(clientId, channel, router, settings, rejectedLog));

    /// <summary>TOPIC_SUB, already validated and authorized; <paramref name="Fields"/> is what the client may read of the topic's data.</summary>
    public sealed record Subscribe(string Topic, FieldFilter Fields);

    /// <summary>TOPIC_UNSUB, already validated.</summary>
    public sealed record Unsubscribe(string Topic);

    /// <summary>TOPIC_PUB, already validated, authorized and within the publish rate; through here so the router sees the client's commands in order.</summary>
    public sealed record Publish(TopicPublished Message);

    protected override void PreStart() => _client = Context.Parent;

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case Subscribe subscribe:
                OnSubscribe(subscribe);
                break;
            case Unsubscribe unsubscribe:
                if (_subscriptions.Remove(unsubscribe.Topic)) _router.Tell(new TopicCommands.Unsubscribe(unsubscribe.Topic), _client);
                break;
            case Publish publish:
                _router.Tell(new TopicCommands.Publish(publish.Message), _client);
                break;
            case TopicPublished published:
                OnPublished(published);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void OnSubscribe(Subscribe sub)
    {
        if (_subscriptions.ContainsKey(sub.Topic)) return;
        var max = _settings.MaxSubscriptionsPerClient;
        if (_subscriptions.Count >= max)
        {
            _rejectedLog.Warning(_log, "Client {0} exceeded its topic subscriptions: {1}", _clientId, sub.Topic);
            _channel.Send(ServerErrors.TooManyTopicSubscriptions(max, sub.Topic));
            return;
        }
        _subscriptions[sub.Topic] = sub.Fields;
        _router.Tell(new TopicCommands.Subscribe(sub.Topic), _client);
    }

    private void OnPublished(TopicPublished published)
    {
        if (published.PublisherId == _clientId || !_subscriptions.TryGetValue(published.Topic, out var fields)) return;
        _channel.Send(new TopicMessageMessage(published.Topic, fields.Apply(published.Data), published.Timestamp, published.PublisherId));
    }
}
