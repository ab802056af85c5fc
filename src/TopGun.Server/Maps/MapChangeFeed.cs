using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.PublishSubscribe;

namespace TopGun.Server.Maps;

/// <summary>
/// The node's change feed, at <c>/user/topgun-map-feed</c> on every node. Partitions hand it
/// <see cref="Publish"/>es of <see cref="MapChanged"/>; it delivers each change to its own local
/// subscribers and forwards it to the feed of every other Up member, which delivers to its own.
/// Connections subscribe with <see cref="Subscribe"/> / <see cref="Unsubscribe"/> on topic
/// <see cref="MapChanged.Topic"/> and get <see cref="SubscribeAck"/> / <see cref="UnsubscribeAck"/>,
/// the same messages as DistributedPubSub.
/// Why not DistributedPubSub per map: a new subscription reaches the other nodes' registries only by
/// gossip (about a second), so a change written on another node in that window was silently missed by
/// a live query whose snapshot had already been sent. Here a subscription is effective as soon as it is
/// acknowledged, because every node's feed receives every change. Per-sender ordering of remoting keeps
/// one partition's changes in order at every node.
/// </summary>
internal sealed class MapChangeFeed : ReceiveActor
{
    public const string Name = "topgun-map-feed";

    private readonly Dictionary<string, HashSet<IActorRef>> _subscribers = new(StringComparer.Ordinal);
    private readonly Dictionary<Address, ActorSelection> _remoteFeeds = new();
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);

    public MapChangeFeed()
    {
        // From a local partition: deliver here and forward to every other member's feed.
        Receive<Publish>(p =>
        {
            if (p.Message is not MapChanged changed) return;
            Deliver(changed);
            foreach (var feed in _remoteFeeds.Values) feed.Tell(changed, Self);
        });
        // Forwarded by another member's feed: deliver here only.
        Receive<MapChanged>(Deliver);
        Receive<Subscribe>(s =>
        {
            if (!_subscribers.TryGetValue(s.Topic, out var set)) _subscribers[s.Topic] = set = [];
            if (set.Add(s.Ref)) Context.Watch(s.Ref);
            Sender.Tell(new SubscribeAck(s));
        });
        Receive<Unsubscribe>(u =>
        {
            if (_subscribers.TryGetValue(u.Topic, out var set) && set.Remove(u.Ref) && set.Count == 0) _subscribers.Remove(u.Topic);
            Sender.Tell(new UnsubscribeAck(u));
        });
        Receive<Terminated>(t =>
        {
            foreach (var (topic, set) in _subscribers.ToArray())
                if (set.Remove(t.ActorRef) && set.Count == 0) _subscribers.Remove(topic);
        });
        Receive<ClusterEvent.CurrentClusterState>(state =>
        {
            foreach (var member in state.Members) Track(member);
        });
        Receive<ClusterEvent.MemberStatusChange>(change => Track(change.Member));
        Receive<ClusterEvent.MemberRemoved>(removed => _remoteFeeds.Remove(removed.Member.Address));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new MapChangeFeed());

    protected override void PreStart() =>
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot, typeof(ClusterEvent.IMemberEvent));

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    private void Track(Member member)
    {
        if (member.Address == _cluster.SelfAddress) return;
        if (member.Status is MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Leaving)
        {
            if (!_remoteFeeds.ContainsKey(member.Address))
                _remoteFeeds[member.Address] = Context.ActorSelection(new RootActorPath(member.Address) / "user" / Name);
        }
        else if (member.Status is MemberStatus.Exiting or MemberStatus.Down or MemberStatus.Removed)
        {
            _remoteFeeds.Remove(member.Address);
        }
    }

    private void Deliver(MapChanged changed)
    {
        if (!_subscribers.TryGetValue(MapChanged.Topic(changed.MapName), out var set)) return;
        foreach (var subscriber in set) subscriber.Tell(changed, ActorRefs.NoSender);
    }
}
