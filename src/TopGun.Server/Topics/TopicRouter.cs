using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;

namespace TopGun.Server.Topics;

/// <summary>
/// The node's topic router, at <c>/user/topgun-topics</c> on every node. It holds the node's local subscribers
/// per topic and is itself the only DistributedPubSub subscriber of a topic on this node, subscribed while at
/// least one local connection is. A publish therefore crosses the network once per node that has subscribers
/// (the mediator's registry holds one entry per node and topic), never once per subscriber, and the fan-out to
/// connections happens here, locally. Connections talk to the router instead of the mediator so the router can
/// watch them: their subscriptions die with them, and pub-sub acknowledgements stay out of the connections.
/// A subscription is effective at once for publishers on this node and, like any DistributedPubSub
/// registration, after the next pub-sub gossip (<c>akka.cluster.pub-sub.gossip-interval</c>) for other nodes.
/// </summary>
internal sealed class TopicRouter : ReceiveActor
{
    public const string Name = "topgun-topics";

    private readonly IActorRef _mediator;
    private readonly Dictionary<string, HashSet<IActorRef>> _subscribers = new(StringComparer.Ordinal);
    private readonly Dictionary<IActorRef, HashSet<string>> _topicsOf = new();

    public TopicRouter(IActorRef mediator)
    {
        _mediator = mediator;
        Receive<TopicCommands.Subscribe>(s => Add(s.Topic, Sender));
        Receive<TopicCommands.Unsubscribe>(u => Remove(u.Topic, Sender));
        Receive<TopicCommands.Publish>(p => _mediator.Tell(new Publish(TopicPublished.PubSubTopic(p.Message.Topic), p.Message)));
        Receive<TopicPublished>(Deliver);
        Receive<Terminated>(t =>
        {
            if (!_topicsOf.TryGetValue(t.ActorRef, out var topics)) return;
            foreach (var topic in topics.ToArray()) Remove(topic, t.ActorRef);
        });
        Receive<SubscribeAck>(_ => { });
        Receive<UnsubscribeAck>(_ => { });
    }

    public static Props Props(IActorRef mediator) => Akka.Actor.Props.Create(() => new TopicRouter(mediator));

    private void Add(string topic, IActorRef connection)
    {
        if (connection.IsNobody()) return;
        if (!_subscribers.TryGetValue(topic, out var set))
        {
            _subscribers[topic] = set = [];
            _mediator.Tell(new Subscribe(TopicPublished.PubSubTopic(topic), Self));
        }
        if (!set.Add(connection)) return;
        if (!_topicsOf.TryGetValue(connection, out var topics))
        {
            _topicsOf[connection] = topics = new HashSet<string>(StringComparer.Ordinal);
            Context.Watch(connection);
        }
        topics.Add(topic);
    }

    private void Remove(string topic, IActorRef connection)
    {
        if (!_subscribers.TryGetValue(topic, out var set) || !set.Remove(connection)) return;
        if (set.Count == 0)
        {
            _subscribers.Remove(topic);
            _mediator.Tell(new Unsubscribe(TopicPublished.PubSubTopic(topic), Self));
        }
        if (_topicsOf.TryGetValue(connection, out var topics) && topics.Remove(topic) && topics.Count == 0)
        {
            _topicsOf.Remove(connection);
            Context.Unwatch(connection);
        }
    }

    private void Deliver(TopicPublished published)
    {
        if (!_subscribers.TryGetValue(published.Topic, out var set)) return;
        foreach (var connection in set) connection.Tell(published, ActorRefs.NoSender);
    }
}
