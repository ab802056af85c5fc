using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.TestKit;
using TopGun.Core.Values;
using TopGun.Server.Topics;

namespace TopGun.Server.Tests.Topics;

/// <summary>The node-local fan-out of topics, with a TestKit probe standing in for the DistributedPubSub mediator.</summary>
public sealed class TopicRouterSpec : Akka.TestKit.Xunit2.TestKit
{
    private readonly TestProbe _mediator;
    private readonly IActorRef _router;

    public TopicRouterSpec() : base("akka.loglevel = WARNING")
    {
        _mediator = CreateTestProbe();
        _router = Sys.ActorOf(TopicRouter.Props(_mediator.Ref));
    }

    [Fact]
    public void The_node_subscribes_to_pub_sub_once_per_topic_however_many_local_connections_subscribe()
    {
        var a = CreateTestProbe();
        var b = CreateTestProbe();

        _router.Tell(new TopicCommands.Subscribe("chat"), a.Ref);
        _router.Tell(new TopicCommands.Subscribe("chat"), b.Ref);
        _router.Tell(new TopicCommands.Subscribe("chat"), a.Ref);

        var subscribe = _mediator.ExpectMsg<Subscribe>();
        Assert.Equal(TopicPublished.PubSubTopic("chat"), subscribe.Topic);
        Assert.Equal(_router, subscribe.Ref);
        _mediator.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_message_from_pub_sub_goes_once_to_every_local_subscriber_of_its_topic_only()
    {
        var a = CreateTestProbe();
        var b = CreateTestProbe();
        var other = CreateTestProbe();
        _router.Tell(new TopicCommands.Subscribe("chat"), a.Ref);
        _router.Tell(new TopicCommands.Subscribe("chat"), b.Ref);
        _router.Tell(new TopicCommands.Subscribe("news"), other.Ref);
        var published = new TopicPublished("chat", Value.Of("hi"), "client-x", 42);

        _router.Tell(published);

        Assert.Equal(published, a.ExpectMsg<TopicPublished>());
        Assert.Equal(published, b.ExpectMsg<TopicPublished>());
        a.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        other.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void A_publish_goes_to_pub_sub_under_the_prefixed_topic()
    {
        var published = new TopicPublished("chat", Value.Of(1), "client-x", 42);

        _router.Tell(new TopicCommands.Publish(published));

        var publish = _mediator.ExpectMsg<Publish>();
        Assert.Equal("topgun-topic:chat", publish.Topic);
        Assert.Equal(published, publish.Message);
    }

    [Fact]
    public void The_node_leaves_pub_sub_when_its_last_local_subscriber_unsubscribes()
    {
        var a = CreateTestProbe();
        var b = CreateTestProbe();
        _router.Tell(new TopicCommands.Subscribe("chat"), a.Ref);
        _router.Tell(new TopicCommands.Subscribe("chat"), b.Ref);
        _mediator.ExpectMsg<Subscribe>();

        _router.Tell(new TopicCommands.Unsubscribe("chat"), a.Ref);
        _mediator.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        _router.Tell(new TopicCommands.Unsubscribe("chat"), b.Ref);

        Assert.Equal(TopicPublished.PubSubTopic("chat"), _mediator.ExpectMsg<Unsubscribe>().Topic);
        _router.Tell(new TopicPublished("chat", Value.Of(1), "client-x", 1));
        a.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        b.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Subscriptions_die_with_their_connection()
    {
        var connection = Sys.ActorOf(Props.Create(() => new Silent()));
        var survivor = CreateTestProbe();
        _router.Tell(new TopicCommands.Subscribe("chat"), connection);
        _router.Tell(new TopicCommands.Subscribe("news"), connection);
        _router.Tell(new TopicCommands.Subscribe("news"), survivor.Ref);
        _mediator.ExpectMsg<Subscribe>();
        _mediator.ExpectMsg<Subscribe>();

        Sys.Stop(connection);

        // "chat" had no other local subscriber, so the node leaves it; "news" still has one.
        Assert.Equal(TopicPublished.PubSubTopic("chat"), _mediator.ExpectMsg<Unsubscribe>().Topic);
        _mediator.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        _router.Tell(new TopicPublished("news", Value.Of(1), "client-x", 1));
        survivor.ExpectMsg<TopicPublished>();
    }

    private sealed class Silent : ReceiveActor;
}
